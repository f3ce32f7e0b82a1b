using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>zstd's <c>ZSTD_inBuffer</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdInBuffer
{
    public byte* Src;
    public nuint Size;
    public nuint Pos;
}
