using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>The slice of libbz2's low-level decompression API the bzip2 decoder needs.</summary>
internal static partial class LibBz2
{
    private const string Library = "libbz2.so.1.0";

    public const int Ok = 0;
    public const int StreamEnd = 4;
    public const int ParamError = -2;
    public const int MemError = -3;
    public const int DataError = -4;
    public const int DataErrorMagic = -5;

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressInit")]
    public static partial int DecompressInit(Bz2StreamHandle strm, int verbosity, int small);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompress")]
    public static partial int Decompress(Bz2StreamHandle strm);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressEnd")]
    public static partial int DecompressEnd(nint strm);
}
