using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>Owns a native <see cref="ZStream"/> and zlib's inflate state.</summary>
internal sealed unsafe class ZStreamHandle : SafeHandle
{
    private bool _initialized;

    public ZStreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(ZStream)));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public ZStream* Stream => (ZStream*)handle;

    /// <summary>Records that <c>inflateInit2_</c> succeeded, so release must call <c>inflateEnd</c>.</summary>
    public void MarkInitialized() => _initialized = true;

    protected override bool ReleaseHandle()
    {
        int ret = _initialized ? LibZ.InflateEnd(handle) : LibZ.Ok;
        NativeMemory.Free((void*)handle);
        return ret == LibZ.Ok;
    }
}
