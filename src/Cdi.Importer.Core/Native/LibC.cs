using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Native;

/// <summary>
/// The few libc calls .NET does not expose: hole punching, allocation, fsync of handles and directories, starting and
/// waiting for writeback of a range, dropping it from the page cache, and probing for direct I/O.
/// </summary>
internal static partial class LibC
{
    public const int FallocKeepSize = 0x01;
    public const int FallocPunchHole = 0x02;
    public const int Einval = 22;
    public const int Espipe = 29;
    public const int Enosys = 38;
    public const int Eopnotsupp = 95;
    public const uint SyncFileRangeWaitBefore = 1;
    public const uint SyncFileRangeWrite = 2;
    public const uint SyncFileRangeWaitAfter = 4;
    private const int PosixFadvDontNeed = 4;
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCloExec = 0x80000;

    // The two flags swap values between x86 and Arm (asm-generic versus the arm64 headers).
    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static int ODirectory => IsArm ? 0x4000 : 0x10000;
    private static int ODirect => IsArm ? 0x10000 : 0x4000;

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int FallocateNative(SafeFileHandle fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRangeNative(SafeFileHandle fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(SafeFileHandle fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Lseek(SafeFileHandle fd, long offset, int whence);

    /// <summary>True on success; false when the file system or device does not support the mode.</summary>
    public static bool TryFallocate(SafeFileHandle handle, int mode, long offset, long length) =>
        length <= 0 || FallocateNative(handle, mode, offset, length) == 0;

    public static void Fsync(SafeFileHandle handle)
    {
        if (FsyncNative(handle) != 0)
        {
            // Some write failures first show here (a full NFS export, a thin volume out of space): name the cause.
            throw new IOException($"cannot make the target durable: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Makes a rename durable: the directory entry itself must reach the disk.</summary>
    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            return;
        }
        FsyncFd(fd);
        Close(fd);
    }

    /// <summary>Size of a block device or file by seeking to its end (st_size is 0 for block devices).</summary>
    public static long SizeBySeek(SafeFileHandle handle)
    {
        var end = Lseek(handle, 0, 2);
        if (end < 0)
        {
            throw new IOException($"cannot determine the size: errno {Marshal.GetLastPInvokeError()}");
        }
        Lseek(handle, 0, 0);
        return end;
    }

    /// <summary>True when the file system takes O_DIRECT opens of <paramref name="path"/> (some FUSE and network file systems do not).</summary>
    public static bool SupportsDirectIo(string path)
    {
        var fd = Open(path, OWrOnly | ODirect | OCloExec);
        if (fd < 0)
        {
            return false;
        }
        Close(fd);
        return true;
    }

    /// <summary>sync_file_range(2): 0, or the errno.</summary>
    public static int SyncFileRange(SafeFileHandle handle, long offset, long length, uint flags) =>
        SyncFileRangeNative(handle, offset, length, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Drops clean cached pages of the range; advice only, so failures do not matter.</summary>
    public static void DropCached(SafeFileHandle handle, long offset, long length) =>
        PosixFadvise(handle, offset, length, PosixFadvDontNeed);
}
