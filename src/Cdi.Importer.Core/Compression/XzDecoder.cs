using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// xz through liblzma's multi-threaded stream decoder: what <see cref="XzStreamDecoder"/> hands over (BCJ or delta
/// filters, unknown checks, threaded-xz files when threads are to spare) and blocks of those kinds in parallel decoding.
/// </summary>
internal sealed unsafe class XzDecoder : IStreamDecoder
{
    private readonly LzmaStreamHandle _handle;
    private readonly ulong _memoryLimit;

    // The last consumed bytes, enough to hold a block header, for the memory-limit message.
    private readonly byte[] _recent = new byte[XzBlockHeader.MaxSize];
    private int _recentLength;

    public XzDecoder(DecoderLimits limits)
    {
        _memoryLimit = (ulong)Math.Max(1, limits.MemoryLimitBytes);
        _handle = new LzmaStreamHandle();
        try
        {
            int ret = Init(_handle, _memoryLimit, Math.Max(1, limits.Threads));
            if (ret != LibLzma.Ok)
            {
                throw new ImportException(ImportFailureReason.Internal, $"liblzma could not start an xz decoder (error {ret})");
            }
        }
        catch (DllNotFoundException ex)
        {
            _handle.Dispose();
            throw new ImportException(ImportFailureReason.Internal, "liblzma.so.5 is not installed", ex);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public string Name => "xz";

    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        var strm = _handle.Stream;
        int ret;
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            strm->NextIn = inPtr;
            strm->AvailIn = (nuint)input.Length;
            strm->NextOut = outPtr;
            strm->AvailOut = (nuint)output.Length;
            // Once FINISH is used liblzma requires it until the end, which holds because inputComplete never reverts.
            ret = LibLzma.Code(_handle, inputComplete ? LibLzma.ActionFinish : LibLzma.ActionRun);
            consumed = input.Length - (int)strm->AvailIn;
            written = output.Length - (int)strm->AvailOut;
            strm->NextIn = null;
            strm->NextOut = null;
        }

        Remember(input[..consumed]);
        return ret switch
        {
            LibLzma.Ok => false,
            LibLzma.StreamEnd => true,
            LibLzma.BufError when inputComplete => throw new ImportException(ImportFailureReason.CorruptImage, "truncated xz stream"),
            LibLzma.BufError => false,
            LibLzma.MemlimitError => throw MemoryLimitExceeded(),
            LibLzma.MemError => throw new ImportException(ImportFailureReason.DecoderLimit, "xz decoder could not allocate memory"),
            LibLzma.FormatError => throw new ImportException(ImportFailureReason.CorruptImage, "xz data is corrupt: not in the xz format"),
            LibLzma.OptionsError => throw new ImportException(ImportFailureReason.CorruptImage, "xz data is corrupt: unsupported options in a header"),
            LibLzma.DataError => throw new ImportException(ImportFailureReason.CorruptImage, "xz data is corrupt: integrity check or structure invalid"),
            _ => throw new ImportException(ImportFailureReason.CorruptImage, $"xz data is corrupt: liblzma error {ret}"),
        };
    }

    public void Dispose() => _handle.Dispose();

    private void Remember(ReadOnlySpan<byte> consumed)
    {
        if (consumed.Length >= _recent.Length)
        {
            consumed[^_recent.Length..].CopyTo(_recent);
            _recentLength = _recent.Length;
            return;
        }

        int keep = Math.Min(_recentLength, _recent.Length - consumed.Length);
        _recent.AsSpan(_recentLength - keep, keep).CopyTo(_recent);
        consumed.CopyTo(_recent.AsSpan(keep));
        _recentLength = keep + consumed.Length;
    }

    private ImportException MemoryLimitExceeded()
    {
        // The single-threaded decoder reports what the next block would need; the threaded one only what it holds now,
        // so read the refused block's dictionary size from its header (the last bytes liblzma consumed).
        ulong needed = LibLzma.MemUsage(_handle);
        if (needed <= _memoryLimit && XzBlockHeader.TryReadDictionarySize(_recent.AsSpan(0, _recentLength), out ulong dictionary))
        {
            needed = dictionary;
        }

        string message = needed > _memoryLimit
            ? $"xz stream needs {ByteSizeText.Format(needed)} of memory, above the {ByteSizeText.Format(_memoryLimit)} limit"
            : $"xz stream needs more memory than the {ByteSizeText.Format(_memoryLimit)} limit";
        return new ImportException(ImportFailureReason.DecoderLimit, message);
    }

    private static int Init(LzmaStreamHandle handle, ulong memoryLimit, int threads)
    {
        if (threads <= 1)
        {
            // One thread: the plain decoder streams; the threaded one would buffer whole blocks for nothing.
            return LibLzma.StreamDecoder(handle, memoryLimit, LibLzma.Concatenated);
        }
        var options = new LzmaMtOptions
        {
            Flags = LibLzma.Concatenated,
            Threads = (uint)threads,
            // 0 = block until output is ready; we never want a spurious empty return.
            Timeout = 0,
            // Threads buffer whole blocks; half the limit keeps the process within its memory budget, and a stream whose
            // blocks need more decodes single-threaded (liblzma's own fallback) instead of failing.
            MemlimitThreading = memoryLimit / 2,
            MemlimitStop = memoryLimit,
        };
        try
        {
            return LibLzma.StreamDecoderMt(handle, options);
        }
        catch (EntryPointNotFoundException)
        {
            // liblzma before 5.4 has no threaded decoder; single-threaded decoding is slower but equally safe.
            return LibLzma.StreamDecoder(handle, memoryLimit, LibLzma.Concatenated);
        }
    }
}
