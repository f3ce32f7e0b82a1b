using System.Formats.Tar;
using System.Text.Json;
using Cdi.Importer.Core.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A local OCI image layout: a directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/ALG/HEX</c>) or a tar of one.
/// Blob paths are built only from validated digests; a tar is indexed once (names → data offsets) and never unpacked.
/// </summary>
public sealed class OciLayoutStore : IOciStore, IDisposable
{
    private const string RefName = "org.opencontainers.image.ref.name";
    private readonly string _path;
    private readonly SafeFileHandle? _tar;
    private readonly Dictionary<string, (long Offset, long Length)> _entries = new(StringComparer.Ordinal);

    private OciLayoutStore(string path, SafeFileHandle? tar)
    {
        _path = path;
        _tar = tar;
    }

    public static OciLayoutStore Open(string path)
    {
        if (Directory.Exists(path))
        {
            return new OciLayoutStore(path, null);
        }
        if (!File.Exists(path))
        {
            ImportException.Throw(ImportFailureReason.SourceNotFound, $"OCI archive {path} does not exist");
        }
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        var store = new OciLayoutStore(path, handle);
        try
        {
            store.IndexTar();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The manifest descriptor for <paramref name="tag"/>, or the only one when no tag is given.</summary>
    public async Task<OciDescriptor> FindAsync(string? tag, CancellationToken cancellationToken)
    {
        var bytes = await ReadSmallAsync(OpenEntry("index.json") ?? throw new ImportException(ImportFailureReason.CorruptImage,
            $"OCI archive {_path} has no index.json"), cancellationToken).ConfigureAwait(false);
        List<(OciDescriptor Descriptor, string? Tag)> refs;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var index = OciManifest.Parse(bytes, OciMediaTypes.OciIndex, $"index.json of {_path}");
            var tags = document.RootElement.GetProperty("manifests").EnumerateArray()
                .Select(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty(RefName, out var r) ? r.GetString() : null).ToList();
            refs = index.Manifests.Zip(tags).ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"index.json of {_path} is not an OCI index: {e.Message}", e);
        }
        var matches = tag is null ? refs : refs.Where(r => r.Tag == tag).ToList();
        if (matches.Count == 1)
        {
            return matches[0].Descriptor;
        }
        var names = string.Join(", ", refs.Select(r => r.Tag ?? r.Descriptor.Digest.ToString()));
        ImportException.Throw(tag is null ? ImportFailureReason.InvalidArgument : ImportFailureReason.SourceNotFound, tag is null
            ? $"OCI archive {_path} holds {refs.Count} images ({names}): name one with oci-archive://PATH:TAG"
            : $"OCI archive {_path} has no image tagged {tag} (it has {names})");
        return null;
    }

    public async Task<(byte[] Body, string? MediaType)> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        var digest = OciDigest.Parse(reference, $"OCI archive {_path}");
        var stream = OpenEntry(BlobName(digest)) ?? throw new ImportException(ImportFailureReason.SourceNotFound, $"OCI archive {_path} lacks manifest {digest}");
        return (await ReadSmallAsync(stream, cancellationToken).ConfigureAwait(false), null);
    }

    public Task<Stream> OpenBlobAsync(OciDescriptor blob, CancellationToken cancellationToken)
    {
        var stream = OpenEntry(BlobName(blob.Digest)) ?? throw new ImportException(ImportFailureReason.SourceNotFound, $"OCI archive {_path} lacks blob {blob.Digest}");
        return Task.FromResult<Stream>(new DigestVerifyingStream(stream, blob.Digest, blob.Size, $"blob {blob.Digest} of {_path}"));
    }

    public void Dispose() => _tar?.Dispose();

    private static string BlobName(OciDigest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    private Stream? OpenEntry(string name)
    {
        if (_tar is null)
        {
            var file = Path.Combine(_path, name);
            return File.Exists(file) ? new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous) : null;
        }
        return _entries.TryGetValue(name, out var e) ? new FileSlice(_tar, e.Offset, e.Length) : null;
    }

    private void IndexTar()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            using var reader = new TarReader(stream, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile && entry.DataOffset >= 0)
                {
                    _entries[LayerPath.Normalize(entry.Name)] = (entry.DataOffset, entry.Length);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ImportException(ImportFailureReason.CorruptImage, $"OCI archive {_path} is not a valid tar: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadSmallAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            using var memory = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (memory.Length + n > OciManifest.MaxBytes)
                {
                    ImportException.Throw(ImportFailureReason.CorruptImage, $"a manifest in an OCI archive is larger than {OciManifest.MaxBytes} bytes");
                }
                memory.Write(buffer, 0, n);
            }
            return memory.ToArray();
        }
    }
}
