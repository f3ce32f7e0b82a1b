using System.Buffers;
using System.Runtime.CompilerServices;
using Cdi.Importer.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace Cdi.Importer.Core.Targets;

/// <summary>
/// Writes image data without writing zeros, each range once (in order, or in any order by a writer and its forks).
/// Runs of all-zero 4 KiB blocks are skipped where the file is known to read as zero there (a fresh file), or punched
/// out where old data may lie beneath (a block device).
/// Data goes through <paramref name="direct"/> where it can (whole aligned blocks), the rest through <paramref name="handle"/>.
/// </summary>
public sealed class SparseWriter
{
    // qemu-img's default sparse granularity, so our allocation matches the reference's.
    private const int BlockSize = 4096;
    private const int BounceSize = 1 << 20;
    private readonly SafeFileHandle _handle;
    private readonly bool _zeroSkippedRanges;
    private readonly DirectFile? _direct;
    private readonly StrongBox<long> _bytesWritten;
    private AlignedBuffer? _bounce;
    private long _pendingZeroStart = -1;
    private long _pendingZeroEnd;

    public SparseWriter(SafeFileHandle handle, bool zeroSkippedRanges, DirectFile? direct = null)
        : this(handle, zeroSkippedRanges, direct, new StrongBox<long>())
    {
    }

    private SparseWriter(SafeFileHandle handle, bool zeroSkippedRanges, DirectFile? direct, StrongBox<long> bytesWritten)
    {
        _handle = handle;
        _zeroSkippedRanges = zeroSkippedRanges;
        _direct = direct;
        _bytesWritten = bytesWritten;
    }

    /// <summary>Bytes passed to this writer and every writer forked from it.</summary>
    public long BytesWritten => Volatile.Read(ref _bytesWritten.Value);

    /// <summary>
    /// Another writer on the same target for a disjoint range, used from another thread; its bytes count here too.
    /// Flush it before the target commits.
    /// </summary>
    public SparseWriter Fork() => new(_handle, _zeroSkippedRanges, _direct, _bytesWritten);

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

    public void Flush() => FlushZeros();

    /// <summary>True while data bypasses the page cache.</summary>
    public bool WritesDirect => _direct is { Enabled: true };

    /// <summary>Reads back what was written (the buffered descriptor sees direct writes too).</summary>
    public int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(_handle, buffer, offset);

    private void WriteData(long offset, ReadOnlySpan<byte> data)
    {
        if (_direct is { Enabled: true })
        {
            // The ragged head up to the next block boundary goes the ordinary way, whole blocks bypass the cache.
            var head = (int)Math.Min(data.Length, (DirectFile.Alignment - (offset % DirectFile.Alignment)) % DirectFile.Alignment);
            if (head > 0)
            {
                RandomAccess.Write(_handle, data[..head], offset);
                offset += head;
                data = data[head..];
            }
            while (data.Length >= DirectFile.Alignment)
            {
                var n = DirectFile.IsAligned(data) ? _direct.WritePrefix(offset, data) : WriteBounced(offset, data);
                if (n == 0)
                {
                    break;
                }
                offset += n;
                data = data[n..];
            }
        }
        if (data.Length > 0)
        {
            RandomAccess.Write(_handle, data, offset);
        }
    }

    /// <summary>Data in unaligned memory is copied to an aligned buffer first: a memory copy is far cheaper than the page cache.</summary>
    private int WriteBounced(long offset, ReadOnlySpan<byte> data)
    {
        _bounce ??= new AlignedBuffer(BounceSize);
        var n = Math.Min(data.Length, BounceSize) & ~(DirectFile.Alignment - 1);
        data[..n].CopyTo(_bounce.Span);
        return _direct!.WritePrefix(offset, _bounce.Span[..n]);
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
                RandomAccess.Write(_handle, zeros.AsSpan(0, n), start);
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
