using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>The slice of zlib's inflate API the gzip decoder needs.</summary>
internal static unsafe partial class LibZ
{
    private const string Library = "libz.so.1";

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDict = 2;
    public const int DataError = -3;
    public const int MemError = -4;
    public const int BufError = -5;

    public const int NoFlush = 0;

    /// <summary>15-bit window plus 16: accept only the gzip wrapper, whose CRC-32 and length trailer zlib then verifies.</summary>
    public const int GzipWindowBits = 15 + 16;

    /// <summary>zlib only compares the first character (the major version) of the caller's header version.</summary>
    private static ReadOnlySpan<byte> HeaderVersion => "1.2.13\0"u8;

    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    private static partial int InflateInit2(ZStreamHandle strm, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStreamHandle strm, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    public static partial int InflateReset(ZStreamHandle strm);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(nint strm);

    public static int InflateInitGzip(ZStreamHandle strm)
    {
        fixed (byte* version = HeaderVersion)
        {
            return InflateInit2(strm, GzipWindowBits, version, sizeof(ZStream));
        }
    }
}
