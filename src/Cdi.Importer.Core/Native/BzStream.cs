using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>libbz2's <c>bz_stream</c>. libbz2 keeps a pointer back to it and rejects calls from a moved copy, so it lives in native memory.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BzStream
{
    public byte* NextIn;
    public uint AvailIn;
    public uint TotalInLo32;
    public uint TotalInHi32;
    public byte* NextOut;
    public uint AvailOut;
    public uint TotalOutLo32;
    public uint TotalOutHi32;
    public nint State;
    public nint BzAlloc;
    public nint BzFree;
    public nint Opaque;
}
