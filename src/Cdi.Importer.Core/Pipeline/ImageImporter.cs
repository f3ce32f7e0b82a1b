using Cdi.Importer.Core.Archive;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Converters;
using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Formats.Qcow2;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sizing;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Streams;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// Runs one import: source → checksum tee → decompression layers → format detection → either a straight sparse copy
/// (raw, ISO) or scratch → inspector → qemu-img → target, then resize and commit. The path is decided by what the
/// bytes are, never by names.
/// </summary>
public sealed class ImageImporter(ImageSourceFactory sources, QemuImg qemuImg, DecoderLimits decoderLimits, TimeProvider time)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    public async Task<ImportResult> ImportAsync(ImportRequest request, IProgressSink sink, CancellationToken cancellationToken)
    {
        using var progress = new ProgressTracker(sink, time, ProgressInterval);
        progress.EnterPhase(ImportPhase.Info);
        if (request.RequestedSize <= 0 && request.VolumeMode == VolumeMode.Filesystem)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, "size must be positive");
        }
        // Scratch copies of killed attempts fill the scratch volume; the target's own leftovers go when it is opened.
        if (request.ScratchDirectory is { } scratch)
        {
            AttemptLeftovers.Remove(scratch, AttemptLeftovers.ScratchPrefix);
        }
        if (request.ContentType == ContentType.Archive)
        {
            return await ImportArchiveAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }
        if (request.Source == ImportRequest.BlankSource)
        {
            return CreateBlank(request, progress);
        }

        for (var restarts = 0; ; restarts++)
        {
            using var target = OpenTarget(request);
            try
            {
                var result = await ImportDiskAsync(request, target, progress, cancellationToken).ConfigureAwait(false);
                progress.EnterPhase(ImportPhase.Complete);
                return result;
            }
            catch (ImportException e) when (e.Reason == ImportFailureReason.SourceNotResumable && restarts < MaxRestarts)
            {
                // The download broke and could not be resumed: start over from a clean target, never append on ambiguity.
                target.Abort();
            }
            catch
            {
                target.Abort();
                throw;
            }
        }
    }

    /// <summary>How often an import starts over from nothing when a broken download cannot be resumed.</summary>
    public const int MaxRestarts = 2;

    private async Task<ImportResult> ImportDiskAsync(ImportRequest request, IDiskTarget target, ProgressTracker progress, CancellationToken cancellationToken)
    {
        await using var source = sources.Create(request.Source);
        var opened = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var input = new DecodedInput(opened, request.Checksum, StreamLimits(request, opened));
        if (!request.RawCopy)
        {
            await input.UnwrapAsync(cancellationToken).ConfigureAwait(false);
        }
        var head = await input.Stream.PeekAsync(HeaderDetector.HeadBytes, cancellationToken).ConfigureAwait(false);
        if (head.Length == 0)
        {
            // Decided here, after decompression and before any path is chosen, so every source and path agrees.
            ImportException.Throw(ImportFailureReason.CorruptImage, "the source is empty (0 bytes): there is no disk image to import");
        }
        var format = request.RawCopy ? ImageFormat.Raw : HeaderDetector.Detect(head.Span);
        var capacity = target.Capacity;

        if (format.IsRawData())
        {
            var rawSize = await TryCopyXzParallelAsync(request, format, input, opened, target, progress, cancellationToken).ConfigureAwait(false)
                ?? await CopyRawAsync(format, input, opened, target, progress, cancellationToken).ConfigureAwait(false);
            await input.VerifyChecksumAsync(cancellationToken).ConfigureAwait(false);
            progress.EnterPhase(ImportPhase.Resize);
            target.Commit(request.Preallocation);
            return Result(request, rawSize.Format, input, rawSize.VirtualSize, capacity, target.Writer.BytesWritten, usedScratch: false, target.FinalPath)
                with { SourceUsed = source.Description, BytesRead = rawSize.BytesRead ?? input.BytesRead };
        }

        if (format == ImageFormat.Qcow2 && input.Codecs.Count == 0 && request.Checksum is null && opened.LocalPath is null
            && opened.OpenRandomAccess is { } openRandomAccess
            && await TryOpenRangedAsync(openRandomAccess, cancellationToken).ConfigureAwait(false) is { } ranged)
        {
            // The server serves ranges of one pinned version: convert from it directly, no scratch copy.
            await input.DisposeAsync().ConfigureAwait(false);
            await using (ranged)
            {
                return await ConvertQcow2RangedAsync(request, ranged, target, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        var scratch = await GetConvertibleFileAsync(request, input, opened, target, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            await input.VerifyChecksumAsync(cancellationToken).ConfigureAwait(false);
            progress.EnterPhase(ImportPhase.Convert);
            var virtualSize = await ValidateAsync(scratch.Path, format, capacity, cancellationToken).ConfigureAwait(false);
            target.PrepareForConverter(virtualSize);
            await qemuImg.ConvertToRawAsync(scratch.Path, format.QemuDriver(), target.WritePath, targetIsZero: !target.IsBlockDevice,
                directIo: target.SupportsDirectIo, virtualSize, progress.SetPercent, cancellationToken).ConfigureAwait(false);
            progress.EnterPhase(ImportPhase.Resize);
            target.Commit(request.Preallocation);
            return Result(request, format, input, virtualSize, capacity, virtualSize, scratch.IsTemporary, target.FinalPath)
                with { SourceUsed = source.Description, BytesRead = scratch.BytesRead ?? input.BytesRead };
        }
        finally
        {
            scratch.Release();
        }
    }

    /// <summary>
    /// Where multi-block xz will decode block by block from positional reads, the stream decoder only has to show the
    /// first bytes: a threaded decoder would decode (and buffer) whole blocks ahead for nothing.
    /// </summary>
    private DecoderLimits StreamLimits(ImportRequest request, SourceStream opened) =>
        request.Checksum is null && (opened.LocalPath is not null || opened.OpenRandomAccess is not null)
            ? decoderLimits with { Threads = 1 }
            : decoderLimits;

    /// <summary>A server may advertise ranges and still not honour them: one probe read decides, before the download is given up.</summary>
    private static async Task<IRandomAccessReader?> TryOpenRangedAsync(Func<CancellationToken, ValueTask<IRandomAccessReader>> open, CancellationToken cancellationToken)
    {
        var reader = await open(cancellationToken).ConfigureAwait(false);
        try
        {
            await reader.ReadExactlyAtAsync(0, new byte[512], cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch (ImportException e) when (e.Reason is ImportFailureReason.SourceHttpError or ImportFailureReason.SourceTruncated)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<ImportResult> ConvertQcow2RangedAsync(ImportRequest request, IRandomAccessReader reader,
        IDiskTarget target, ProgressTracker progress, CancellationToken cancellationToken)
    {
        progress.EnterPhase(ImportPhase.Convert, reader.Length, () => reader.BytesFetched, () => target.Writer.BytesWritten);
        ImageInfo info;
        await using (var view = new RandomAccessReadStream(reader))
        {
            info = ImageInspector.Inspect(view, ImageFormat.Qcow2);
        }
        CheckFits(info.VirtualSize, target.Capacity);
        var virtualSize = await Qcow2Converter.ConvertAsync(reader, target.Writer, eraseHoles: target.IsBlockDevice, cancellationToken).ConfigureAwait(false);
        progress.EnterPhase(ImportPhase.Resize);
        target.Commit(request.Preallocation);
        return new ImportResult(ImageFormat.Qcow2, [], virtualSize, target.Capacity, reader.BytesFetched, target.Writer.BytesWritten, null,
            request.Preallocation, UsedScratch: false, target.FinalPath);
    }

    /// <summary>Native inspection first; qemu-img's own reading of the same file must agree before it may convert.</summary>
    private async Task<long> ValidateAsync(string path, ImageFormat format, long capacity, CancellationToken cancellationToken)
    {
        ImageInfo info;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
        {
            info = ImageInspector.Inspect(file, format);
        }
        CheckFits(info.VirtualSize, capacity);
        var driver = format.QemuDriver();
        var q = await qemuImg.InfoAsync(path, driver, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(q.Format, driver, StringComparison.Ordinal))
        {
            ImportException.Throw(ImportFailureReason.AmbiguousFormat, $"qemu-img reads the image as {q.Format}, the inspector as {driver}");
        }
        if (q.BackingFile is not null)
        {
            ImportException.Throw(ImportFailureReason.BackingFileNotAllowed, $"{driver} backing file is not allowed");
        }
        if (q.DataFile is not null)
        {
            ImportException.Throw(ImportFailureReason.DataFileNotAllowed, $"{driver} external data file is not allowed");
        }
        if (q.VirtualSize != info.VirtualSize)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage,
                $"{driver} virtual size is ambiguous: the inspector reads {info.VirtualSize}, qemu-img {q.VirtualSize}");
        }
        return info.VirtualSize;
    }

    private static void CheckFits(long virtualSize, long capacity)
    {
        if (virtualSize > capacity)
        {
            ImportException.Throw(ImportFailureReason.ImageTooLarge, $"virtual size {virtualSize} is larger than available {capacity}");
        }
    }

    private static async Task<(ImageFormat Format, long VirtualSize, long? BytesRead)> CopyRawAsync(ImageFormat detected, DecodedInput input, SourceStream opened, IDiskTarget target,
        ProgressTracker progress, CancellationToken cancellationToken)
    {
        var capacity = target.Capacity;
        var known = input.Codecs.Count == 0 ? opened.Length : null;
        // A fixed VHD is raw data plus a 512-byte footer, found only at the end; allow for it before judging the size.
        if (known is { } length && length - VhdFooterSize > capacity)
        {
            CheckFits(length, capacity);
        }
        var limit = target.IsBlockDevice ? capacity : capacity + VhdFooterSize;
        var copier = new ChunkCopier();
        progress.EnterPhase(ImportPhase.TransferDataFile, opened.Length, () => input.BytesRead, () => target.Writer.BytesWritten);
        await copier.CopyAsync(input.Stream, target.Writer, limit, () => ImportException.Throw(ImportFailureReason.ImageTooLarge,
            known is { } k ? $"virtual size {k} is larger than available {capacity}"
                : $"virtual size is larger than available {capacity}: the decompressed image passed that size"), cancellationToken).ConfigureAwait(false);
        var size = copier.Copied;
        var format = detected;
        if (VhdFooter.TryParseFixed(copier.Trailer, size, out var vhdSize))
        {
            target.Writer.Erase(vhdSize, size);
            format = ImageFormat.Vhd;
            size = vhdSize;
        }
        CheckFits(size, capacity);
        return (format, size, null);
    }

    private const int VhdFooterSize = 512;

    /// <summary>
    /// A multi-block xz file that can be read by position: its block map and a positional reader, so its blocks can
    /// decode on every core at once, each straight to its place. Null when the file or the source does not allow it;
    /// the stream decoder then takes the already opened download as usual.
    /// </summary>
    private async Task<(IRandomAccessReader Reader, XzIndex Index)?> TryOpenXzBlocksAsync(ImportRequest request, DecodedInput input,
        SourceStream opened, CancellationToken cancellationToken)
    {
        // A checksum covers the bytes in order, which only the sequential download sees.
        if (decoderLimits.Threads < 2 || request.Checksum is not null || input.Codecs is not [CompressionKind.Xz])
        {
            return null;
        }
        var reader = opened.LocalPath is { } local ? new FileRangeReader(local)
            : opened.OpenRandomAccess is { } open ? await open(cancellationToken).ConfigureAwait(false) : null;
        if (reader is null)
        {
            return null;
        }
        XzIndex? index;
        try
        {
            index = await XzIndex.TryReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (ImportException e) when (e.Reason is ImportFailureReason.SourceHttpError or ImportFailureReason.SourceTruncated)
        {
            // The server advertised ranges it does not serve.
            index = null;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (index is not { Blocks.Count: >= 2 })
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        return (reader, index);
    }

    /// <summary>Raw data in multi-block xz, decoded block by block into the target (see <see cref="TryOpenXzBlocksAsync"/>).</summary>
    private async Task<(ImageFormat Format, long VirtualSize, long? BytesRead)?> TryCopyXzParallelAsync(ImportRequest request, ImageFormat detected,
        DecodedInput input, SourceStream opened, IDiskTarget target, ProgressTracker progress, CancellationToken cancellationToken)
    {
        if (await TryOpenXzBlocksAsync(request, input, opened, cancellationToken).ConfigureAwait(false) is not var (reader, index))
        {
            return null;
        }
        await using (reader.ConfigureAwait(false))
        {
            await input.DisposeAsync().ConfigureAwait(false);
            var capacity = target.Capacity;
            var size = index.UncompressedSize;
            if (size - (target.IsBlockDevice ? 0 : VhdFooterSize) > capacity)
            {
                ImportException.Throw(ImportFailureReason.ImageTooLarge, $"virtual size {size} is larger than available {capacity}");
            }
            var copier = new XzParallelCopier(reader, index, decoderLimits);
            progress.EnterPhase(ImportPhase.TransferDataFile, opened.Length, () => copier.BytesRead, () => target.Writer.BytesWritten);
            await copier.CopyAsync(target.Writer, cancellationToken).ConfigureAwait(false);
            var format = detected;
            var trailer = new byte[(int)Math.Min(VhdFooterSize, size)];
            target.Writer.ReadAt(size - trailer.Length, trailer);
            if (VhdFooter.TryParseFixed(trailer, size, out var vhdSize))
            {
                target.Writer.Erase(vhdSize, size);
                format = ImageFormat.Vhd;
                size = vhdSize;
            }
            CheckFits(size, capacity);
            // The blocks were read by the workers, the headers, index and footer by the index reader.
            return (format, size, copier.BytesRead + index.MetadataBytes);
        }
    }

    private async Task<ConvertibleFile> GetConvertibleFileAsync(ImportRequest request, DecodedInput input, SourceStream opened,
        IDiskTarget target, ProgressTracker progress, CancellationToken cancellationToken)
    {
        if (opened.LocalPath is { } local && input.Codecs.Count == 0)
        {
            // A local file is already random access: no copy needed (the checksum pass reads it once).
            return new ConvertibleFile(local, IsTemporary: false);
        }
        var directory = request.ScratchDirectory ?? (target.IsBlockDevice || !request.ScratchInTarget ? null : request.TargetPath);
        if (directory is null)
        {
            ImportException.Throw(ImportFailureReason.ScratchSpaceRequired,
                "scratch space required: this image must be converted from a seekable copy; give --scratch DIR");
        }
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{AttemptLeftovers.ScratchPrefix}{Guid.NewGuid():N}.img");
        var file = new ConvertibleFile(path, IsTemporary: true);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
            var writer = new SparseWriter(handle, zeroSkippedRanges: false);
            // Image files hold the data plus metadata; a bound stops a decompression bomb long before the disk fills.
            var limit = target.Capacity + (target.Capacity / 8) + (64L << 20);
            if (await TryOpenXzBlocksAsync(request, input, opened, cancellationToken).ConfigureAwait(false) is var (reader, index))
            {
                await using (reader.ConfigureAwait(false))
                {
                    await input.DisposeAsync().ConfigureAwait(false);
                    if (index.UncompressedSize > limit)
                    {
                        ImportException.Throw(ImportFailureReason.ImageTooLarge, $"image file is larger than the available {target.Capacity} bytes can hold");
                    }
                    var blocks = new XzParallelCopier(reader, index, decoderLimits);
                    progress.EnterPhase(ImportPhase.TransferScratch, opened.Length, () => blocks.BytesRead, () => writer.BytesWritten);
                    await blocks.CopyAsync(writer, cancellationToken).ConfigureAwait(false);
                    RandomAccess.SetLength(handle, index.UncompressedSize);
                    return file with { BytesRead = blocks.BytesRead + index.MetadataBytes };
                }
            }
            progress.EnterPhase(ImportPhase.TransferScratch, opened.Length, () => input.BytesRead, () => writer.BytesWritten);
            var copier = new ChunkCopier();
            await copier.CopyAsync(input.Stream, writer, limit, () => ImportException.Throw(ImportFailureReason.ImageTooLarge,
                $"image file is larger than the available {target.Capacity} bytes can hold"), cancellationToken).ConfigureAwait(false);
            RandomAccess.SetLength(handle, copier.Copied);
            return file;
        }
        catch
        {
            file.Release();
            throw;
        }
    }

    private async Task<ImportResult> ImportArchiveAsync(ImportRequest request, ProgressTracker progress, CancellationToken cancellationToken)
    {
        if (request.VolumeMode == VolumeMode.Block)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, "archive content needs a Filesystem volume, not Block");
        }
        if (request.Source == ImportRequest.BlankSource)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, "cannot create an empty disk with content type archive");
        }
        for (var restarts = 0; ; restarts++)
        {
            try
            {
                return await ImportArchiveOnceAsync(request, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (ImportException e) when (e.Reason == ImportFailureReason.SourceNotResumable && restarts < MaxRestarts)
            {
                // The staging directory is gone with the failed attempt; unpack again from the start.
            }
        }
    }

    private async Task<ImportResult> ImportArchiveOnceAsync(ImportRequest request, ProgressTracker progress, CancellationToken cancellationToken)
    {
        var capacity = VolumeSize.Offered(VolumeSize.Usable(request.RequestedSize, request.FilesystemOverhead), VolumeSize.FreeBytes(request.TargetPath));
        await using var source = sources.Create(request.Source);
        var opened = await source.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var input = new DecodedInput(opened, request.Checksum, decoderLimits);
        await input.UnwrapAsync(cancellationToken).ConfigureAwait(false);
        var extractor = new TarExtractor(request.TargetPath, capacity);
        progress.EnterPhase(ImportPhase.TransferDataDir, opened.Length, () => input.BytesRead, () => extractor.BytesWritten);
        try
        {
            await extractor.ExtractAsync(input.Stream, cancellationToken).ConfigureAwait(false);
            await input.VerifyChecksumAsync(cancellationToken).ConfigureAwait(false);
            extractor.Commit();
        }
        finally
        {
            extractor.Dispose();
        }
        progress.EnterPhase(ImportPhase.Complete);
        return Result(request, null, input, extractor.BytesWritten, capacity, extractor.BytesWritten, usedScratch: false, request.TargetPath);
    }

    private static ImportResult CreateBlank(ImportRequest request, ProgressTracker progress)
    {
        using var target = OpenTarget(request);
        progress.EnterPhase(ImportPhase.Resize, target.Capacity);
        target.Commit(request.Preallocation);
        progress.EnterPhase(ImportPhase.Complete);
        return new ImportResult(ImageFormat.Raw, [], target.Capacity, target.Capacity, 0, 0, null, request.Preallocation, false, target.FinalPath);
    }

    private static IDiskTarget OpenTarget(ImportRequest request) => request.VolumeMode == VolumeMode.Block
        ? BlockTarget.Open(request.TargetPath)
        : FilesystemTarget.Create(request.TargetPath, VolumeSize.Usable(request.RequestedSize, request.FilesystemOverhead));

    private static ImportResult Result(ImportRequest request, ImageFormat? format, DecodedInput input, long virtualSize, long capacity,
        long written, bool usedScratch, string path) =>
        new(format, input.Codecs, virtualSize, capacity, input.BytesRead, written, request.Checksum?.Text, request.Preallocation, usedScratch, path);
}
