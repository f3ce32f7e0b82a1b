using System.Globalization;
using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>zstd through libzstd's streaming decoder; consecutive frames (zstd's multi-frame and pzstd output) decode as one stream.</summary>
internal sealed unsafe class ZstdDecoder : IStreamDecoder
{
    private readonly ZstdDStreamHandle _handle;
    private readonly int _windowLogMax;

    // True between frames: nothing decoded yet is pending, so input may end here cleanly.
    private bool _atFrameBoundary;
    private bool _sawFrame;

    public ZstdDecoder(DecoderLimits limits)
    {
        _windowLogMax = limits.ZstdWindowLogMax;
        try
        {
            _handle = LibZstd.CreateDStream();
        }
        catch (DllNotFoundException ex)
        {
            throw new ImportException(ImportFailureReason.Internal, "libzstd.so.1 is not installed", ex);
        }

        if (_handle.IsInvalid)
        {
            _handle.Dispose();
            throw new ImportException(ImportFailureReason.Internal, "libzstd could not create a decoder");
        }

        nuint ret = LibZstd.SetParameter(_handle, LibZstd.ParameterWindowLogMax, _windowLogMax);
        if (LibZstd.IsError(ret) != 0)
        {
            _handle.Dispose();
            throw new ImportException(ImportFailureReason.InvalidArgument, $"zstd window log limit {_windowLogMax} is not valid: {LibZstd.ErrorName(ret)}");
        }
    }

    public string Name => "zstd";

    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        nuint ret;
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            var inBuffer = new ZstdInBuffer { Src = inPtr, Size = (nuint)input.Length, Pos = 0 };
            var outBuffer = new ZstdOutBuffer { Dst = outPtr, Size = (nuint)output.Length, Pos = 0 };
            ret = LibZstd.DecompressStream(_handle, &outBuffer, &inBuffer);
            consumed = (int)inBuffer.Pos;
            written = (int)outBuffer.Pos;
        }

        if (LibZstd.IsError(ret) != 0)
        {
            throw Failure(ret);
        }

        if (consumed > 0 || written > 0)
        {
            // 0 means the frame is complete and fully flushed; anything else is a hint that more input is expected.
            // A call without progress says nothing new (zstd answers an empty call after a frame with a header-size hint).
            _sawFrame = true;
            _atFrameBoundary = ret == 0;
        }

        if (!inputComplete || consumed < input.Length || written == output.Length)
        {
            return false;
        }

        if (_atFrameBoundary && _sawFrame)
        {
            return true;
        }

        throw new ImportException(ImportFailureReason.CorruptImage, "truncated zstd stream");
    }

    public void Dispose() => _handle.Dispose();

    private ImportException Failure(nuint ret)
    {
        int code = LibZstd.GetErrorCode(ret);
        return code switch
        {
            LibZstd.ErrorWindowTooLarge => new ImportException(
                ImportFailureReason.DecoderLimit,
                string.Create(CultureInfo.InvariantCulture, $"zstd frame needs a window above the {ByteSizeText.Format(1UL << _windowLogMax)} limit (windowLog > {_windowLogMax})")),
            LibZstd.ErrorMemoryAllocation => new ImportException(ImportFailureReason.DecoderLimit, "zstd decoder could not allocate memory"),
            _ => new ImportException(ImportFailureReason.CorruptImage, $"zstd data is corrupt: {LibZstd.ErrorName(ret)}"),
        };
    }
}
