using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>zlib's <c>z_stream</c> (LP64 layout). zlib keeps a pointer back to it and rejects a moved copy, so it lives in native memory.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public nuint TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public nuint TotalOut;
    public nint Msg;
    public nint State;
    public nint ZAlloc;
    public nint ZFree;
    public nint Opaque;
    public int DataType;
    public nuint Adler;
    public nuint Reserved;
}
