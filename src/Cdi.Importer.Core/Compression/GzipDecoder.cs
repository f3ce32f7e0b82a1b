using System.Runtime.InteropServices;
using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// gzip through zlib's inflate, one member after another (pigz, concatenated .gz files).
/// </summary>
/// <remarks>
/// Not <see cref="System.IO.Compression.GZipStream"/>: on this runtime it ends quietly on truncated input
/// and skips whatever follows the last member, and an importer must tell a cut-off download from a complete one.
/// </remarks>
internal sealed unsafe class GzipDecoder : IStreamDecoder
{
    private readonly ZStreamHandle _handle;

    // True after a member's trailer was verified and before the next member's first byte was consumed.
    private bool _betweenMembers;

    public GzipDecoder()
    {
        _handle = new ZStreamHandle();
        try
        {
            int ret = LibZ.InflateInitGzip(_handle);
            if (ret != LibZ.Ok)
            {
                throw new ImportException(ImportFailureReason.Internal, $"zlib could not start a gzip decoder (error {ret})");
            }

            _handle.MarkInitialized();
        }
        catch (DllNotFoundException ex)
        {
            _handle.Dispose();
            throw new ImportException(ImportFailureReason.Internal, "libz.so.1 is not installed", ex);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public string Name => "gzip";

    public bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written)
    {
        consumed = 0;
        written = 0;
        if (_betweenMembers)
        {
            if (input.IsEmpty)
            {
                return inputComplete;
            }

            if (input.Length == 1 && !inputComplete && input[0] == 0x1F)
            {
                return false;
            }

            if (input.Length < 2 || input[0] != 0x1F || input[1] != 0x8B)
            {
                throw new ImportException(ImportFailureReason.CorruptImage, "gzip data is corrupt: trailing data after the last member");
            }

            Check(LibZ.InflateReset(_handle));
            _betweenMembers = false;
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
            ret = LibZ.Inflate(_handle, LibZ.NoFlush);
            consumed = input.Length - (int)strm->AvailIn;
            written = output.Length - (int)strm->AvailOut;
            strm->NextIn = null;
            strm->NextOut = null;
        }

        switch (ret)
        {
            case LibZ.StreamEnd:
                _betweenMembers = true;
                return inputComplete && consumed == input.Length;
            case LibZ.Ok:
            case LibZ.BufError:
                if (inputComplete && consumed == input.Length && written < output.Length)
                {
                    throw new ImportException(ImportFailureReason.CorruptImage, "truncated gzip stream");
                }

                return false;
            case LibZ.MemError:
                throw new ImportException(ImportFailureReason.DecoderLimit, "gzip decoder could not allocate memory");
            default:
                throw new ImportException(ImportFailureReason.CorruptImage, $"gzip data is corrupt: {Message(ret)}");
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void Check(int ret)
    {
        if (ret != LibZ.Ok)
        {
            throw new ImportException(ImportFailureReason.Internal, $"zlib inflateReset failed (error {ret})");
        }
    }

    private string Message(int ret)
    {
        string? text = _handle.Stream->Msg == 0 ? null : Marshal.PtrToStringUTF8(_handle.Stream->Msg);
        return text ?? (ret == LibZ.NeedDict ? "preset dictionary required" : $"zlib error {ret}");
    }
}
