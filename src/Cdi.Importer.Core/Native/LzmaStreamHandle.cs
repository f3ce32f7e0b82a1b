using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>Owns a native <see cref="LzmaStream"/> and the decoder state liblzma hangs off it (threads included, which <c>lzma_end</c> joins).</summary>
internal sealed unsafe class LzmaStreamHandle : SafeHandle
{
    public LzmaStreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        // LZMA_STREAM_INIT is all zeroes.
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(LzmaStream)));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public LzmaStream* Stream => (LzmaStream*)handle;

    protected override bool ReleaseHandle()
    {
        LibLzma.End(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
