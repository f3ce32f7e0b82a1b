using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>A Block volume: an existing block device (or a regular file standing for one) written from offset 0, never resized.</summary>
public sealed class BlockTarget : IDiskTarget
{
    private readonly SafeFileHandle _handle;

    private BlockTarget(string path, SafeFileHandle handle, long capacity)
    {
        WritePath = path;
        _handle = handle;
        Capacity = capacity;
        SupportsDirectIo = LibC.SupportsDirectIo(path);
        Writer = new SparseWriter(handle, zeroSkippedRanges: true);
    }

    public long Capacity { get; }
    public string WritePath { get; }
    public bool IsBlockDevice => true;
    public bool SupportsDirectIo { get; }
    public string FinalPath => WritePath;
    public SparseWriter Writer { get; }

    public static BlockTarget Open(string path)
    {
        if (!File.Exists(path))
        {
            ImportException.Throw(ImportFailureReason.TargetError, $"block target {path} does not exist: Block mode writes to an existing device or file");
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImportException(ImportFailureReason.TargetError, $"cannot open block target {path}: {e.Message}", e);
        }
        return new BlockTarget(path, handle, LibC.SizeBySeek(handle));
    }

    public void PrepareForConverter(long virtualSize)
    {
        // The device keeps its size; the converter writes into it in place.
    }

    public void Commit(bool preallocate)
    {
        Writer.Flush();
        if (preallocate)
        {
            // Devices are allocated by nature; a file standing in for one is allocated in full.
            LibC.TryFallocate(_handle, LibC.FallocKeepSize, 0, Capacity);
        }
        LibC.Fsync(_handle);
        _handle.Dispose();
    }

    public void Abort() => Dispose();

    public void Dispose() => _handle.Dispose();
}
