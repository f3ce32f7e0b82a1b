using System.Buffers;
using System.Formats.Tar;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// The bytes of a container disk: the one regular file under <c>disk/</c> in an image's layers, streamed out of its layer
/// tar without unpacking anything. Layers are walked from the top down so the first visible disk file found is the one the
/// image really holds. When the reader reaches the file's end, the rest of the layers are read too: every blob's digest
/// is checked and a second disk file fails the import, both before the reader sees the end, so nothing is committed.
/// </summary>
public sealed class ContainerDiskStream : ReadOnlyForwardStream
{
    private readonly IReadOnlyList<OciDescriptor> _layers;
    private readonly Func<OciDescriptor, CancellationToken, Task<Stream>> _openBlob;
    private readonly DecoderLimits _limits;
    private readonly string _image;
    private readonly LayerVisibility _visibility = new();
    private int _layer;
    private Stream? _blob;
    private Stream? _decoded;
    private TarReader? _tar;
    private Stream? _disk;
    private bool _finished;

    private ContainerDiskStream(IReadOnlyList<OciDescriptor> layers, Func<OciDescriptor, CancellationToken, Task<Stream>> openBlob, DecoderLimits limits, string image)
    {
        _layers = layers;
        _openBlob = openBlob;
        _limits = limits;
        _image = image;
        _layer = layers.Count;
    }

    /// <summary>The disk file's path in the image, such as <c>disk/cirros.qcow2</c>.</summary>
    public string DiskPath { get; private set; } = "";

    public long DiskLength { get; private set; }

    /// <summary>Compressed bytes read from the registry so far.</summary>
    public long BlobBytesRead { get; private set; }

    /// <param name="layers">In manifest order (base layer first).</param>
    public static async Task<ContainerDiskStream> OpenAsync(IReadOnlyList<OciDescriptor> layers,
        Func<OciDescriptor, CancellationToken, Task<Stream>> openBlob, DecoderLimits limits, string image, CancellationToken cancellationToken)
    {
        var stream = new ContainerDiskStream(layers, openBlob, limits, image);
        try
        {
            var found = await stream.NextDiskAsync(cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                ImportException.Throw(ImportFailureReason.ContainerDiskInvalid,
                    $"image {image} holds no disk: a container disk has one regular file under /disk");
            }
            stream.DiskPath = found.Value.Path;
            stream.DiskLength = found.Value.Entry.Length;
            stream._disk = found.Value.Entry.DataStream ?? Stream.Null;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override int Read(Span<byte> buffer) => ReadThroughAsync(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_finished || buffer.Length == 0)
        {
            return 0;
        }
        int n;
        try
        {
            n = await _disk!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUndecodable(e))
        {
            await BlameBlobAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }
        if (n > 0)
        {
            return n;
        }
        var other = await NextDiskAsync(cancellationToken).ConfigureAwait(false);
        if (other is { } o)
        {
            ImportException.Throw(ImportFailureReason.ContainerDiskInvalid,
                $"image {_image} holds more than one disk file ({DiskPath} and {o.Path}): a container disk has exactly one file under /disk");
        }
        _finished = true;
        return 0;
    }

    /// <summary>Walks on from the current entry to the next visible disk file, verifying each finished layer; null at the bottom.</summary>
    private async Task<(string Path, TarEntry Entry)?> NextDiskAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_tar is null)
            {
                if (_layer == 0)
                {
                    return null;
                }
                _layer--;
                await OpenLayerAsync(_layers[_layer], cancellationToken).ConfigureAwait(false);
            }
            var entry = await NextEntryAsync(cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                await FinishLayerAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
            {
                continue;
            }
            var path = LayerPath.Normalize(entry.Name);
            var isDirectory = entry.EntryType == TarEntryType.Directory;
            var visible = path.Length > 0 && _visibility.IsVisible(path) && !LayerPath.TryWhiteout(path, out _, out _);
            _visibility.Record(path, isDirectory);
            if (!visible || isDirectory || !LayerPath.IsUnderDisk(path))
            {
                continue;
            }
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                ImportException.Throw(ImportFailureReason.ContainerDiskInvalid,
                    $"image {_image} has {path} as a {entry.EntryType}: the disk must be a regular file");
            }
            return (path, entry);
        }
    }

    private async Task OpenLayerAsync(OciDescriptor layer, CancellationToken cancellationToken)
    {
        _blob = await _openBlob(layer, cancellationToken).ConfigureAwait(false);
        var peekable = new PeekableStream(new CountingBlob(_blob, this));
        var head = await peekable.PeekAsync(CompressionDetector.HeadBytes, cancellationToken).ConfigureAwait(false);
        var kind = CompressionDetector.Detect(head.Span);
        _decoded = kind == CompressionKind.None ? peekable : Decompressor.Open(kind, peekable, _limits);
        _tar = new TarReader(_decoded, leaveOpen: true);
    }

    private async Task<TarEntry?> NextEntryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _tar!.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUndecodable(e))
        {
            await BlameBlobAsync(cancellationToken).ConfigureAwait(false);
            if (e is ImportException)
            {
                throw;
            }
            throw new ImportException(ImportFailureReason.CorruptImage, $"layer {_layers[_layer].Digest} of {_image} is not a valid tar: {e.Message}", e);
        }
    }

    private static bool IsUndecodable(Exception e) => e is InvalidDataException or FormatException or EndOfStreamException
        || e is ImportException { Reason: ImportFailureReason.CorruptImage or ImportFailureReason.DecoderLimit };

    /// <summary>
    /// When a layer cannot be decoded, reads the rest of its blob first: if the registry served bytes that do not match
    /// the digest, that is the failure to report (a digest mismatch, not a corrupt image).
    /// </summary>
    private async Task BlameBlobAsync(CancellationToken cancellationToken)
    {
        if (_blob is null)
        {
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (await _blob.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the layer to its very end, so the blob's digest is checked, then closes it.</summary>
    private async Task FinishLayerAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            try
            {
                while (await _decoded!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                {
                }
            }
            catch (Exception e) when (IsUndecodable(e))
            {
                await BlameBlobAsync(cancellationToken).ConfigureAwait(false);
                throw;
            }
            while (await _blob!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await CloseLayerAsync().ConfigureAwait(false);
        _visibility.EndLayer();
    }

    private async Task CloseLayerAsync()
    {
        if (_tar is not null)
        {
            await _tar.DisposeAsync().ConfigureAwait(false);
            _tar = null;
        }
        if (_decoded is not null)
        {
            await _decoded.DisposeAsync().ConfigureAwait(false);
            _decoded = null;
        }
        if (_blob is not null)
        {
            await _blob.DisposeAsync().ConfigureAwait(false);
            _blob = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseLayerAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tar?.Dispose();
            _decoded?.Dispose();
            _blob?.Dispose();
            _tar = null;
            _decoded = null;
            _blob = null;
        }
        base.Dispose(disposing);
    }

    /// <summary>Counts compressed bytes for progress.</summary>
    private sealed class CountingBlob(Stream inner, ContainerDiskStream owner) : ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            owner.BlobBytesRead += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            owner.BlobBytesRead += n;
            return n;
        }
    }
}
