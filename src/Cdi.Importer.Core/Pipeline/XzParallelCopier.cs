using System.Buffers;
using System.Globalization;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Targets;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// Decodes the blocks of a multi-block xz file on several threads at once, each block read from its own range of the
/// source and written to its own place in the target by one <see cref="WriteBehind"/> thread. Unlike liblzma's threaded
/// decoder nothing waits to be emitted in order, so no thread buffers a whole decoded block: memory is one dictionary
/// and an input buffer per thread plus a fixed set of output buffers, the dictionaries within one
/// <see cref="MemoryBudget"/>, and every core decodes.
/// </summary>
internal sealed class XzParallelCopier(IRandomAccessReader reader, XzIndex index, DecoderLimits limits)
{
    private const int InputSize = 1 << 20;
    private const int OutputSize = 4 << 20;

    // Output buffers beyond one per decoding thread: enough that a write in progress rarely stops a decoder.
    private const int SpareOutputs = 3;

    // What a decoder holds beyond its dictionary (liblzma's own structures, with room to spare).
    private const long DecoderOverhead = 4 << 20;
    private const long ProcessReserve = 96L << 20;
    private long _read;
    private int _next = -1;

    /// <summary>Compressed bytes consumed so far, for progress.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    public async Task CopyAsync(SparseWriter writer, CancellationToken cancellationToken)
    {
        // The decoders share what the rest of the process (runtime, buffers: ~90 MiB measured) leaves of the limit.
        using var budget = new MemoryBudget(limits.MemoryLimitBytes, Math.Max(limits.MemoryLimitBytes / 2, limits.MemoryLimitBytes - ProcessReserve));
        // One more decoder than cores covers the waits for the network.
        var workers = Math.Clamp(limits.Threads + 1, 1, Math.Max(1, index.Blocks.Count));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var writes = new WriteBehind(writer, workers + SpareOutputs, OutputSize);
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(() => WorkAsync(writes, budget, stop), CancellationToken.None);
        }
        Exception? failure = null;
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        try
        {
            await writes.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (failure is null || failure is OperationCanceledException)
        {
            // The writer failed first; the decoders only stopped because of it.
            failure = e;
        }
        if (failure is not null)
        {
            // Report the failure that stopped the others, not the cancellations it caused.
            var first = tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure is OperationCanceledException && first is not null ? first : failure);
        }
    }

    private async Task WorkAsync(WriteBehind writes, MemoryBudget budget, CancellationTokenSource stop)
    {
        var input = ArrayPool<byte>.Shared.Rent(InputSize);
        try
        {
            for (var i = Interlocked.Increment(ref _next); i < index.Blocks.Count; i = Interlocked.Increment(ref _next))
            {
                await DecodeBlockAsync(i, writes, budget, input, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private async Task DecodeBlockAsync(int number, WriteBehind writes, MemoryBudget budget, byte[] input, CancellationToken cancellationToken)
    {
        var block = index.Blocks[number];
        var source = await reader.OpenRangeAsync(block.Offset, block.TotalSize, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var headerSize = await ReadHeaderAsync(source, input, number, cancellationToken).ConfigureAwait(false);
            // The header names the dictionary the block needs: take that much of the budget before decoding it.
            var need = XzBlockHeader.TryReadDictionarySize(input.AsSpan(0, headerSize), out var dictionary)
                ? (long)Math.Min((ulong)budget.Total, dictionary + DecoderOverhead)
                : budget.Total;
            if (dictionary > (ulong)budget.Total)
            {
                ImportException.Throw(ImportFailureReason.DecoderLimit,
                    $"xz stream needs {ByteSizeText.Format(dictionary)} of memory, above the {ByteSizeText.Format((ulong)budget.Total)} limit");
            }
            using var lease = await budget.AcquireAsync(need, cancellationToken).ConfigureAwait(false);
            using var decoder = new XzDecoder(limits with { MemoryLimitBytes = lease.Bytes, Threads = 1 });
            using var output = new BlockOutput(writes, block, number, cancellationToken);
            // liblzma decodes streams, not loose blocks: the stream header (its check type) comes first.
            output.Feed(decoder, block.StreamHeader.Span);
            output.Feed(decoder, input.AsSpan(0, headerSize));
            Interlocked.Add(ref _read, headerSize);
            for (var left = block.TotalSize - headerSize; left > 0;)
            {
                var n = await source.ReadAsync(input.AsMemory(0, (int)Math.Min(input.Length, left)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    ImportException.Throw(ImportFailureReason.SourceTruncated, $"xz block {number} ended {left} bytes early");
                }
                output.Feed(decoder, input.AsSpan(0, n));
                Interlocked.Add(ref _read, n);
                left -= n;
            }
            output.Finish();
        }
    }

    /// <summary>Reads the block header into the start of <paramref name="buffer"/> and returns its size.</summary>
    private static async Task<int> ReadHeaderAsync(Stream source, byte[] buffer, int number, CancellationToken cancellationToken)
    {
        await source.ReadExactlyAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
        if (buffer[0] == 0)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"xz index lists block {number} where the file has none");
        }
        var size = (buffer[0] + 1) * 4;
        await source.ReadExactlyAsync(buffer.AsMemory(1, size - 1), cancellationToken).ConfigureAwait(false);
        return size;
    }

    /// <summary>Collects a block's decoded bytes into whole output buffers, so writes stay aligned, and checks its size.</summary>
    private sealed class BlockOutput(WriteBehind writes, XzBlock block, int number, CancellationToken cancellationToken) : IDisposable
    {
        private AlignedBuffer? _buffer;
        private long _flushed;
        private int _filled;

        public void Feed(XzDecoder decoder, ReadOnlySpan<byte> data)
        {
            while (true)
            {
                _buffer ??= writes.Rent(cancellationToken);
                // Room for one byte more than the block should hold, so a block that decodes too long is caught.
                var room = (int)Math.Min(_buffer.Length - _filled, block.UncompressedSize - _flushed - _filled + 1);
                decoder.Decode(data, _buffer.Span.Slice(_filled, room), inputComplete: false, out var consumed, out var written);
                data = data[consumed..];
                _filled += written;
                if (_flushed + _filled > block.UncompressedSize)
                {
                    ImportException.Throw(ImportFailureReason.CorruptImage,
                        string.Create(CultureInfo.InvariantCulture, $"xz block {number} decodes to more than the {block.UncompressedSize} bytes its index lists"));
                }
                if (_filled == _buffer.Length)
                {
                    Flush();
                }
                if (consumed == 0 && written == 0)
                {
                    return;
                }
            }
        }

        public void Finish()
        {
            Flush();
            if (_flushed != block.UncompressedSize)
            {
                ImportException.Throw(ImportFailureReason.CorruptImage,
                    string.Create(CultureInfo.InvariantCulture, $"xz block {number} decodes to {_flushed} bytes, its index lists {block.UncompressedSize}"));
            }
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                writes.Return(_buffer);
                _buffer = null;
            }
        }

        private void Flush()
        {
            if (_buffer is not null && _filled > 0)
            {
                writes.Submit(block.UncompressedOffset + _flushed, _buffer, _filled, cancellationToken);
                _buffer = null;
                _flushed += _filled;
                _filled = 0;
            }
        }
    }
}
