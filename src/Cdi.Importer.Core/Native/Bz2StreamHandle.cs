using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>Owns a native <see cref="BzStream"/>; one handle decodes one bzip2 stream, so concatenated input needs a fresh handle per stream.</summary>
internal sealed unsafe class Bz2StreamHandle : SafeHandle
{
    private bool _initialized;

    public Bz2StreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(BzStream)));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public BzStream* Stream => (BzStream*)handle;

    /// <summary>Records that <c>BZ2_bzDecompressInit</c> succeeded, so release must call <c>BZ2_bzDecompressEnd</c>.</summary>
    public void MarkInitialized() => _initialized = true;

    protected override bool ReleaseHandle()
    {
        int ret = _initialized ? LibBz2.DecompressEnd(handle) : LibBz2.Ok;
        NativeMemory.Free((void*)handle);
        return ret == LibBz2.Ok;
    }
}
