using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>bzip2 through libbz2. libbz2 stops at the end of each stream, so concatenated streams (pbzip2, cat a.bz2 b.bz2) get a fresh decoder each.</summary>
internal sealed unsafe class Bzip2Decoder : IStreamDecoder
{
    private static ReadOnlySpan<byte> StreamMagic => "BZh"u8;

    private Bz2StreamHandle? _handle;
    private bool _sawStream;

    public string Name => "bzip2";

    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        if (_handle is null)
        {
            if (input.IsEmpty)
            {
                if (!inputComplete)
                {
                    return false;
                }

                return _sawStream ? true : throw new ImportException(ImportFailureReason.CorruptImage, "truncated bzip2 stream");
            }

            if (input.Length < StreamMagic.Length && !inputComplete)
            {
                return false;
            }

            if (!input.StartsWith(StreamMagic))
            {
                throw new ImportException(
                    ImportFailureReason.CorruptImage,
                    _sawStream ? "bzip2 data is corrupt: trailing data after the last stream" : "bzip2 data is corrupt: bad stream header");
            }

            _handle = Start();
        }

        var strm = _handle.Stream;
        int ret;
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            strm->NextIn = inPtr;
            strm->AvailIn = (uint)input.Length;
            strm->NextOut = outPtr;
            strm->AvailOut = (uint)output.Length;
            ret = LibBz2.Decompress(_handle);
            consumed = input.Length - (int)strm->AvailIn;
            written = output.Length - (int)strm->AvailOut;
            strm->NextIn = null;
            strm->NextOut = null;
        }

        switch (ret)
        {
            case LibBz2.StreamEnd:
                _handle.Dispose();
                _handle = null;
                _sawStream = true;
                return inputComplete && consumed == input.Length;
            case LibBz2.Ok:
                if (inputComplete && consumed == input.Length && written < output.Length)
                {
                    throw new ImportException(ImportFailureReason.CorruptImage, "truncated bzip2 stream");
                }

                return false;
            case LibBz2.MemError:
                throw new ImportException(ImportFailureReason.DecoderLimit, "bzip2 decoder could not allocate memory");
            case LibBz2.DataErrorMagic:
                throw new ImportException(ImportFailureReason.CorruptImage, "bzip2 data is corrupt: bad stream header");
            default:
                throw new ImportException(ImportFailureReason.CorruptImage, $"bzip2 data is corrupt: libbz2 error {ret}");
        }
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
    }

    private static Bz2StreamHandle Start()
    {
        var handle = new Bz2StreamHandle();
        try
        {
            int ret = LibBz2.DecompressInit(handle, 0, 0);
            if (ret != LibBz2.Ok)
            {
                throw new ImportException(ImportFailureReason.Internal, $"libbz2 could not start a bzip2 decoder (error {ret})");
            }

            handle.MarkInitialized();
            return handle;
        }
        catch (DllNotFoundException ex)
        {
            handle.Dispose();
            throw new ImportException(ImportFailureReason.Internal, "libbz2.so.1.0 is not installed", ex);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
