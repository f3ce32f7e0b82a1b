using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sizing;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// <c>DIR/disk.img</c> on a Filesystem volume. Data goes to a hidden temporary file in DIR, renamed only after the
/// import verified, so a half-written image never carries the final name.
/// </summary>
public sealed class FilesystemTarget : IDiskTarget
{
    public const string DiskFileName = "disk.img";
    private readonly SafeFileHandle _handle;
    private bool _done;

    private FilesystemTarget(string directory, long capacity, string tempPath, SafeFileHandle handle)
    {
        Directory = directory;
        Capacity = capacity;
        WritePath = tempPath;
        _handle = handle;
        SupportsDirectIo = LibC.SupportsDirectIo(tempPath);
        Writer = new SparseWriter(handle, zeroSkippedRanges: false);
    }

    public string Directory { get; }
    public long Capacity { get; }
    public string WritePath { get; }
    public bool IsBlockDevice => false;
    public bool SupportsDirectIo { get; }
    public string FinalPath => Path.Combine(Directory, DiskFileName);
    public SparseWriter Writer { get; }

    public static FilesystemTarget Create(string directory, long capacity)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException(ImportFailureReason.TargetError, $"cannot create target directory {directory}: {e.Message}", e);
        }
        AttemptLeftovers.Remove(directory);
        capacity = VolumeSize.Offered(capacity, VolumeSize.FreeBytes(directory));
        var temp = Path.Combine(directory, $"{AttemptLeftovers.PartialPrefix}{Guid.NewGuid():N}");
        var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        return new FilesystemTarget(directory, capacity, temp, handle);
    }

    public void PrepareForConverter(long virtualSize) => RandomAccess.SetLength(_handle, virtualSize);

    public void Commit(bool preallocate)
    {
        Writer.Flush();
        RandomAccess.SetLength(_handle, Capacity);
        if (preallocate && !LibC.TryFallocate(_handle, 0, 0, Capacity))
        {
            ImportException.Throw(ImportFailureReason.TargetError, $"cannot preallocate {Capacity} bytes in {Directory}");
        }
        LibC.Fsync(_handle);
        _handle.Dispose();
        File.SetUnixFileMode(WritePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        File.Move(WritePath, FinalPath, overwrite: true);
        LibC.FsyncDirectory(Directory);
        _done = true;
    }

    public void Abort()
    {
        _handle.Dispose();
        TryDelete(WritePath);
        // A disk.img from an earlier import would read as this import's result; the volume must show the failure.
        TryDelete(FinalPath);
        _done = true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            Abort();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
