using System.Buffers;
using System.Runtime.CompilerServices;
using Cdi.Importer.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// Writes image data without writing zeros, each range once (in order, or in any order by a writer and its forks).
/// Runs of all-zero 4 KiB blocks are skipped where the file is known to read as zero there (a fresh file), or punched
/// out where old data may lie beneath (a block device). Data goes through the page cache with a
/// <see cref="WritebackWindow"/>, so little of it stays there.
/// </summary>
public sealed class SparseWriter
{
    // qemu-img's default sparse granularity, so our allocation matches the reference's.
    private const int BlockSize = 4096;
    private readonly SafeFileHandle _handle;
    private readonly bool _zeroSkippedRanges;
    private readonly StrongBox<long> _bytesWritten;
    private readonly WritebackWindow _window;
    private long _pendingZeroStart = -1;
    private long _pendingZeroEnd;

    public SparseWriter(SafeFileHandle handle, bool zeroSkippedRanges)
        : this(handle, zeroSkippedRanges, new StrongBox<long>())
    {
    }

    private SparseWriter(SafeFileHandle handle, bool zeroSkippedRanges, StrongBox<long> bytesWritten)
    {
        _handle = handle;
        _zeroSkippedRanges = zeroSkippedRanges;
        _bytesWritten = bytesWritten;
        _window = new WritebackWindow(handle);
    }

    /// <summary>Bytes passed to this writer and every writer forked from it.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten.Value);

    /// <summary>
    /// Another writer on the same target for a disjoint range, used from another thread; its bytes count here too.
    /// Flush it before the target commits.
    /// </summary>
    public SparseWriter Fork() => new(_handle, _zeroSkippedRanges, _bytesWritten);

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var end = pos;
            var zero = IsZeroBlock(data, pos);
            // Group blocks of the same kind into one system call.
            while (end < data.Length && IsZeroBlock(data, end) == zero)
            {
                end = Math.Min(data.Length, end + BlockSize);
            }
            if (zero)
            {
                AddZeroRange(offset + pos, offset + end);
            }
            else
            {
                FlushZeros();
                WriteData(offset + pos, data[pos..end]);
            }
            Interlocked.Add(ref _bytesWritten.Value, end - pos);
            pos = end;
        }
    }

    /// <summary>Makes <c>[start, end)</c> read as zero even where data was written before (a trailer found after the fact).</summary>
    public void Erase(long start, long end)
    {
        FlushZeros();
        if (end > start && !LibC.TryFallocate(_handle, LibC.FallocPunchHole | LibC.FallocKeepSize, start, end - start))
        {
            WriteZeros(start, end - start);
        }
    }

    /// <summary>Everything this writer was given is on the disk (not yet durable: the target's fsync does that).</summary>
    public void Flush()
    {
        FlushZeros();
        _window.Drain();
    }

    /// <summary>Reads back what was written.</summary>
    public int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(_handle, buffer, offset);

    private void WriteData(long offset, ReadOnlySpan<byte> data)
    {
        RandomAccess.Write(_handle, data, offset);
        _window.Wrote(offset, data.Length);
    }

    private static bool IsZeroBlock(ReadOnlySpan<byte> data, int pos)
    {
        var len = Math.Min(BlockSize, data.Length - pos);
        return data.Slice(pos, len).IndexOfAnyExcept((byte)0) < 0;
    }

    private void AddZeroRange(long start, long end)
    {
        if (_pendingZeroStart >= 0 && _pendingZeroEnd == start)
        {
            _pendingZeroEnd = end;
            return;
        }
        FlushZeros();
        _pendingZeroStart = start;
        _pendingZeroEnd = end;
    }

    private void FlushZeros()
    {
        if (_pendingZeroStart < 0)
        {
            return;
        }
        var start = _pendingZeroStart;
        var length = _pendingZeroEnd - start;
        _pendingZeroStart = -1;
        if (!_zeroSkippedRanges || length <= 0)
        {
            return;
        }
        if (LibC.TryFallocate(_handle, LibC.FallocPunchHole | LibC.FallocKeepSize, start, length))
        {
            return;
        }
        WriteZeros(start, length);
    }

    private void WriteZeros(long start, long length)
    {
        const int chunk = 1 << 20;
        var zeros = ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            Array.Clear(zeros, 0, chunk);
            while (length > 0)
            {
                var n = (int)Math.Min(chunk, length);
                WriteData(start, zeros.AsSpan(0, n));
                start += n;
                length -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(zeros);
        }
    }
}
