using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>zstd's <c>ZSTD_outBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdOutBuffer
{
    public byte* Dst;
    public nuint Size;
    public nuint Pos;
}
