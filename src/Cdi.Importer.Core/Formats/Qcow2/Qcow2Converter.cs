using System.Buffers;
using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Formats.Qcow2;

/// <summary>
/// Converts a qcow2 image (already passed by the inspector) to raw by walking its L1/L2 tables over positional reads,
/// so a download with Range needs no scratch copy. Contiguous data clusters are read in one go, several runs at once,
/// each by its own range request straight into a buffer that one writer thread writes; unallocated and zero
/// clusters are never read and become holes (or are erased on a block device).
/// </summary>
public sealed class Qcow2Converter
{
    private const ulong OffsetMask = 0x00FF_FFFF_FFFF_FE00UL;
    private const ulong CompressedFlag = 1UL << 62;
    private const ulong ZeroFlag = 1UL;
    private const int MaxRun = 4 << 20;
    private const int Subclusters = 32;

    public static async Task<long> ConvertAsync(IRandomAccessReader source, SparseWriter writer, bool eraseHoles, CancellationToken cancellationToken)
    {
        var header = new byte[112];
        await source.ReadExactlyAtAsync(0, header.AsMemory(0, (int)Math.Min(header.Length, source.Length)), cancellationToken).ConfigureAwait(false);
        var layout = Qcow2Layout.Parse(header);
        var l1 = new byte[layout.L1Size * 8L];
        await source.ReadExactlyAtAsync(layout.L1Offset, l1, cancellationToken).ConfigureAwait(false);
        var run = new RunWriter(source, writer, eraseHoles, layout.VirtualSize);
        using var decoder = new Qcow2ClusterDecoder(layout.ZstdCompression);
        var l2 = ArrayPool<byte>.Shared.Rent(layout.ClusterSize);
        var cluster = new byte[layout.ClusterSize];
        var compressed = ArrayPool<byte>.Shared.Rent(layout.ClusterSize * 2 + 512);
        try
        {
            for (var i = 0; i < layout.L1Size; i++)
            {
                var guestBase = i * layout.BytesPerL2Table;
                if (guestBase >= layout.VirtualSize)
                {
                    break;
                }
                var l2Offset = (long)(BinaryPrimitives.ReadUInt64BigEndian(l1.AsSpan(i * 8)) & OffsetMask);
                if (l2Offset == 0)
                {
                    await run.HoleAsync(guestBase, layout.BytesPerL2Table, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await source.ReadExactlyAtAsync(l2Offset, l2.AsMemory(0, layout.ClusterSize), cancellationToken).ConfigureAwait(false);
                for (var j = 0; j < layout.L2Entries; j++)
                {
                    var guest = guestBase + (long)j * layout.ClusterSize;
                    if (guest >= layout.VirtualSize)
                    {
                        break;
                    }
                    var entry = BinaryPrimitives.ReadUInt64BigEndian(l2.AsSpan(j * layout.L2EntrySize));
                    if ((entry & CompressedFlag) != 0)
                    {
                        await run.FlushPendingAsync(cancellationToken).ConfigureAwait(false);
                        await ReadCompressedAsync(source, layout, entry, compressed, cluster, decoder, cancellationToken).ConfigureAwait(false);
                        await run.WriteDecodedAsync(guest, cluster).ConfigureAwait(false);
                        continue;
                    }
                    var host = (long)(entry & OffsetMask);
                    if (!layout.ExtendedL2)
                    {
                        if (host == 0 || (entry & ZeroFlag) != 0)
                        {
                            await run.HoleAsync(guest, layout.ClusterSize, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await run.DataAsync(guest, host, layout.ClusterSize, cancellationToken).ConfigureAwait(false);
                        }
                        continue;
                    }
                    var bitmap = BinaryPrimitives.ReadUInt64BigEndian(l2.AsSpan(j * layout.L2EntrySize + 8));
                    var sub = layout.ClusterSize / Subclusters;
                    for (var k = 0; k < Subclusters; k++)
                    {
                        var allocated = (bitmap & (1UL << k)) != 0;
                        var zero = (bitmap & (1UL << (k + 32))) != 0;
                        if (allocated && !zero && host != 0)
                        {
                            await run.DataAsync(guest + (long)k * sub, host + (long)k * sub, sub, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await run.HoleAsync(guest + (long)k * sub, sub, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            await run.CompleteAsync(cancellationToken).ConfigureAwait(false);
            writer.Flush();
            return layout.VirtualSize;
        }
        finally
        {
            await run.DisposeAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(l2);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private static async Task ReadCompressedAsync(IRandomAccessReader source, Qcow2Layout layout, ulong entry, byte[] compressed, byte[] cluster,
        Qcow2ClusterDecoder decoder, CancellationToken cancellationToken)
    {
        var shift = 62 - (layout.ClusterBits - 8);
        var offset = (long)(entry & ((1UL << shift) - 1));
        var sectors = (long)((entry >> shift) & ((1UL << (layout.ClusterBits - 8)) - 1)) + 1;
        var length = (int)Math.Min(sectors * 512 - (offset & 511), compressed.Length);
        // The last compressed cluster may be stored short of its rounded size at the end of the file.
        length = (int)Math.Min(length, source.Length - offset);
        if (length <= 0)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, "qcow2 compressed cluster lies outside the file");
        }
        await source.ReadExactlyAtAsync(offset, compressed.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        decoder.Decode(compressed.AsSpan(0, length), cluster);
    }

    /// <summary>
    /// Coalesces guest-contiguous clusters that are also host-contiguous into runs. Each run is fetched by its own range
    /// request into a buffer, a few at a time, and handed to one <see cref="WriteBehind"/> thread: no cache copy, and the
    /// network and the disk work at the same time. Writes land in any order; every run has its own place.
    /// </summary>
    private sealed class RunWriter : IAsyncDisposable
    {
        private const int Fetches = 4;
        private readonly IRandomAccessReader _source;
        private readonly SparseWriter _writer;
        private readonly bool _eraseHoles;
        private readonly long _virtualSize;
        private readonly WriteBehind _writes;
        private readonly SemaphoreSlim _slots = new(Fetches);
        private readonly CancellationTokenSource _failed = new();
        private readonly List<Task> _fetching = [];
        private long _guest = -1;
        private long _host;
        private int _length;
        private long _holeStart = -1;
        private long _holeEnd;
        private bool _completed;

        public RunWriter(IRandomAccessReader source, SparseWriter writer, bool eraseHoles, long virtualSize)
        {
            _source = source;
            _writer = writer;
            _eraseHoles = eraseHoles;
            _virtualSize = virtualSize;
            _writes = new WriteBehind(writer.Fork(), Fetches + 2, MaxRun);
        }

        public async ValueTask DataAsync(long guest, long host, int length, CancellationToken cancellationToken)
        {
            FlushHole();
            if (_guest >= 0 && guest == _guest + _length && host == _host + _length && _length + length <= MaxRun)
            {
                _length += length;
                return;
            }
            await FlushDataAsync(cancellationToken).ConfigureAwait(false);
            _guest = guest;
            _host = host;
            _length = length;
        }

        public async ValueTask HoleAsync(long guest, long length, CancellationToken cancellationToken)
        {
            await FlushDataAsync(cancellationToken).ConfigureAwait(false);
            if (!_eraseHoles)
            {
                return;
            }
            var end = Math.Min(guest + length, _virtualSize);
            if (_holeStart >= 0 && _holeEnd == guest)
            {
                _holeEnd = end;
                return;
            }
            FlushHole();
            _holeStart = guest;
            _holeEnd = end;
        }

        /// <summary>A decoded compressed cluster: written here, beside the runs in flight (their ranges never overlap).</summary>
        public ValueTask WriteDecodedAsync(long guest, ReadOnlyMemory<byte> data)
        {
            FlushHole();
            _writer.Write(guest, data.Span[..(int)Math.Min(data.Length, _virtualSize - guest)]);
            return ValueTask.CompletedTask;
        }

        /// <summary>Starts the run collected so far and erases the hole collected so far.</summary>
        public async ValueTask FlushPendingAsync(CancellationToken cancellationToken)
        {
            await FlushDataAsync(cancellationToken).ConfigureAwait(false);
            FlushHole();
        }

        /// <summary>Everything is fetched and written when this completes.</summary>
        public async ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            await FlushPendingAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(_fetching).ConfigureAwait(false);
            _completed = true;
            await _writes.CompleteAsync().ConfigureAwait(false);
        }

        /// <summary>After a failure too: fetches and writes in flight still use the source and the target.</summary>
        public async ValueTask DisposeAsync()
        {
            await _failed.CancelAsync().ConfigureAwait(false);
            foreach (var fetch in _fetching)
            {
                try
                {
                    await fetch.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The failure already being reported is the one that matters.
                }
            }
            if (!_completed)
            {
                try
                {
                    await _writes.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // As above.
                }
            }
            _writes.Dispose();
            _slots.Dispose();
            _failed.Dispose();
        }

        private async ValueTask FlushDataAsync(CancellationToken cancellationToken)
        {
            if (_guest < 0)
            {
                return;
            }
            var guest = _guest;
            var host = _host;
            var length = (int)Math.Min(_length, _virtualSize - guest);
            _guest = -1;
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            byte[] buffer;
            try
            {
                buffer = _writes.Rent(cancellationToken);
            }
            catch
            {
                _slots.Release();
                throw;
            }
            _fetching.RemoveAll(t => t.IsCompletedSuccessfully);
            if (_fetching.Find(t => t.IsFaulted) is { } failed)
            {
                _writes.Return(buffer);
                _slots.Release();
                await failed.ConfigureAwait(false);
            }
            _fetching.Add(FetchAsync(guest, host, length, buffer, cancellationToken));
        }

        private async Task FetchAsync(long guest, long host, int length, byte[] buffer, CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token);
            byte[]? held = buffer;
            try
            {
                var stream = await _source.OpenRangeAsync(host, length, stop.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.ReadExactlyAsync(buffer.AsMemory(0, length), stop.Token).ConfigureAwait(false);
                }
                _writes.Submit(guest, buffer, length, stop.Token);
                held = null;
            }
            catch
            {
                // The first failure stops the other fetches.
                await _failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                if (held is not null)
                {
                    _writes.Return(held);
                }
                _slots.Release();
            }
        }

        private void FlushHole()
        {
            if (_holeStart >= 0)
            {
                _writer.Erase(_holeStart, _holeEnd);
                _holeStart = -1;
            }
        }
    }
}
