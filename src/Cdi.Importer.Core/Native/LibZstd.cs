using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>The slice of libzstd's streaming decompression API the zstd decoder needs.</summary>
internal static unsafe partial class LibZstd
{
    private const string Library = "libzstd.so.1";

    /// <summary><c>ZSTD_d_windowLogMax</c> from zstd.h.</summary>
    public const int ParameterWindowLogMax = 100;

    /// <summary><c>ZSTD_error_frameParameter_windowTooLarge</c>.</summary>
    public const int ErrorWindowTooLarge = 16;

    /// <summary><c>ZSTD_error_memory_allocation</c>.</summary>
    public const int ErrorMemoryAllocation = 64;

    [LibraryImport(Library, EntryPoint = "ZSTD_createDStream")]
    public static partial ZstdDStreamHandle CreateDStream();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDStream")]
    public static partial nuint FreeDStream(nint zds);

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_setParameter")]
    public static partial nuint SetParameter(ZstdDStreamHandle dctx, int parameter, int value);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(ZstdDStreamHandle zds, ZstdOutBuffer* output, ZstdInBuffer* input);

    /// <summary>Resets the session only (parameters such as the window limit stay): reuse one context per conversion.</summary>
    public const int ResetSessionOnly = 1;

    [LibraryImport(Library, EntryPoint = "ZSTD_DCtx_reset")]
    public static partial nuint Reset(ZstdDStreamHandle dctx, int directive);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorCode")]
    public static partial int GetErrorCode(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    public static partial nint GetErrorName(nuint code);

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8(GetErrorName(code)) ?? "unknown error";
}
