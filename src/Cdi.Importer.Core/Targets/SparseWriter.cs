using System.Buffers;
using Cdi.Importer.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// Writes image data at increasing offsets without writing zeros. Runs of all-zero 4 KiB blocks are skipped where the
/// file is known to read as zero there (a fresh file), or punched out where old data may lie beneath (a block device).
/// </summary>
public sealed class SparseWriter(SafeFileHandle handle, bool zeroSkippedRanges)
{
    // qemu-img's default sparse granularity, so our allocation matches the reference's.
    private const int BlockSize = 4096;
    private long _pendingZeroStart = -1;
    private long _pendingZeroEnd;
    private long _bytesWritten;

    public long BytesWritten => Volatile.Read(ref _bytesWritten);

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
                RandomAccess.Write(handle, data[pos..end], offset + pos);
            }
            Interlocked.Add(ref _bytesWritten, end - pos);
            pos = end;
        }
    }

    /// <summary>Makes <c>[start, end)</c> read as zero even where data was written before (a trailer found after the fact).</summary>
    public void Erase(long start, long end)
    {
        FlushZeros();
        if (end > start && !LibC.TryFallocate(handle, LibC.FallocPunchHole | LibC.FallocKeepSize, start, end - start))
        {
            WriteZeros(start, end - start);
        }
    }

    public void Flush() => FlushZeros();

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
        if (!zeroSkippedRanges || length <= 0)
        {
            return;
        }
        if (LibC.TryFallocate(handle, LibC.FallocPunchHole | LibC.FallocKeepSize, start, length))
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
                RandomAccess.Write(handle, zeros.AsSpan(0, n), start);
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
