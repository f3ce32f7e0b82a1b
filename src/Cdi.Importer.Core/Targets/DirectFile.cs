using System.Runtime.InteropServices;
using Cdi.Importer.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// A second, O_DIRECT descriptor on the target. Image data bypasses the page cache: the copy into it and the dirty-page
/// writeback were most of an import's CPU time on a VM, and a multi-GiB import no longer evicts the node's cache or fills
/// the importer pod's memory cgroup with dirty pages. Only whole aligned blocks from aligned memory go this way; the
/// caller writes the ragged rest through the ordinary descriptor. A file system that accepts the flag but rejects a
/// write turns it off for good. Safe to share between writers of disjoint ranges.
/// </summary>
public sealed class DirectFile : IDisposable
{
    /// <summary>Covers 512 B and 4 KiB logical sectors alike.</summary>
    public const int Alignment = 4096;
    private readonly SafeFileHandle _handle;
    private volatile bool _disabled;

    private DirectFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Null where the file system cannot bypass its cache (some FUSE and network file systems, older tmpfs).</summary>
    public static DirectFile? TryOpen(string path) =>
        LibC.TryOpenDirect(path, out _) is { } handle ? new DirectFile(handle) : null;

    public bool Enabled => !_disabled;

    public static unsafe bool IsAligned(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return (nuint)p % Alignment == 0;
        }
    }

    /// <summary>
    /// Writes the longest whole-block prefix of <paramref name="data"/> at <paramref name="offset"/> and returns its length;
    /// 0 when the offset or the memory is not aligned, or direct I/O is off.
    /// </summary>
    public int WritePrefix(long offset, ReadOnlySpan<byte> data)
    {
        if (_disabled || offset % Alignment != 0 || data.Length < Alignment || !IsAligned(data))
        {
            return 0;
        }
        data = data[..(data.Length & ~(Alignment - 1))];
        var done = 0;
        while (done < data.Length)
        {
            var n = LibC.Pwrite(_handle, data[done..], offset + done, out var errno);
            if (n > 0)
            {
                done += (int)n;
                if (n % Alignment != 0)
                {
                    // A short write that ends mid-block cannot continue aligned; the rest goes the ordinary way.
                    _disabled = true;
                    return done;
                }
                continue;
            }
            if (n < 0 && errno == LibC.Eintr)
            {
                continue;
            }
            if (n < 0 && errno == LibC.Einval)
            {
                // The file system or device wants a larger alignment than ours: stop trying.
                _disabled = true;
                return done;
            }
            throw new IOException($"cannot write to the target: {(n == 0 ? "no progress" : Marshal.GetPInvokeErrorMessage(errno))}");
        }
        return done;
    }

    public void Dispose() => _handle.Dispose();
}
