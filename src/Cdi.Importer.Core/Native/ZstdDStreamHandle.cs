using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Native;

/// <summary>Owns a <c>ZSTD_DStream</c>.</summary>
internal sealed class ZstdDStreamHandle : SafeHandle
{
    public ZstdDStreamHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        return LibZstd.IsError(LibZstd.FreeDStream(handle)) == 0;
    }
}
