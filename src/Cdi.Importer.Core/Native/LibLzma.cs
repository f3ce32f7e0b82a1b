using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>The slice of liblzma's API the xz decoder needs. Loaded by its versioned soname so a missing -dev package does not matter.</summary>
internal static partial class LibLzma
{
    private const string Library = "liblzma.so.5";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int MemError = 5;
    public const int MemlimitError = 6;
    public const int FormatError = 7;
    public const int OptionsError = 8;
    public const int DataError = 9;
    public const int BufError = 10;

    public const int ActionRun = 0;
    public const int ActionFinish = 3;

    /// <summary>Keep decoding after the first stream ends: xz files may be several concatenated streams.</summary>
    public const uint Concatenated = 0x08;

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder_mt")]
    public static partial int StreamDecoderMt(LzmaStreamHandle strm, in LzmaMtOptions options);

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder")]
    public static partial int StreamDecoder(LzmaStreamHandle strm, ulong memlimit, uint flags);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    public static partial int Code(LzmaStreamHandle strm, int action);

    [LibraryImport(Library, EntryPoint = "lzma_memusage")]
    public static partial ulong MemUsage(LzmaStreamHandle strm);

    [LibraryImport(Library, EntryPoint = "lzma_crc32")]
    public static unsafe partial uint Crc32(byte* buffer, nuint size, uint crc);

    [LibraryImport(Library, EntryPoint = "lzma_crc64")]
    public static unsafe partial ulong Crc64(byte* buffer, nuint size, ulong crc);

    [LibraryImport(Library, EntryPoint = "lzma_end")]
    public static partial void End(nint strm);
}
