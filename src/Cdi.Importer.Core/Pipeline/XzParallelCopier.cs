using System.Buffers;
using System.Globalization;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Compression.Lzma;
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

    // What a decoder holds beyond its dictionary (one chunk of window, the model; liblzma's structures), with room to spare.
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
        // The LZMA2 decoder and its lease stay from block to block while the dictionary size does (xz uses one size).
        Lzma2Slot? slot = null;
        try
        {
            for (var i = Interlocked.Increment(ref _next); i < index.Blocks.Count; i = Interlocked.Increment(ref _next))
            {
                slot = await DecodeBlockAsync(i, writes, budget, input, slot, stop.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            slot?.Dispose();
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    private async Task<Lzma2Slot?> DecodeBlockAsync(int number, WriteBehind writes, MemoryBudget budget, byte[] input, Lzma2Slot? slot, CancellationToken cancellationToken)
    {
        var block = index.Blocks[number];
        var source = await reader.OpenRangeAsync(block.Offset, block.TotalSize, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var headerSize = await ReadHeaderAsync(source, input, number, cancellationToken).ConfigureAwait(false);
            var header = input.AsSpan(0, headerSize);
            if (XzBlockHeader.TryParseLzma2Only(header, out var dictionary, out var listed)
                && XzCheck.ForStream(block.StreamHeader.Span) is { } check)
            {
                using (check)
                {
                    try
                    {
                        if (slot is null || !slot.Decoder.TryRestart(dictionary))
                        {
                            slot?.Dispose();
                            slot = null;
                            var lease = await AcquireAsync(budget, dictionary, cancellationToken).ConfigureAwait(false);
                            slot = new Lzma2Slot(lease, new Lzma2Decoder(dictionary));
                        }
                        var layout = new Lzma2Block(listed, check);
                        await DecodeLzma2BlockAsync(number, source, input, headerSize, slot.Decoder, layout, writes, cancellationToken).ConfigureAwait(false);
                        return slot;
                    }
                    catch
                    {
                        slot?.Dispose();
                        throw;
                    }
                }
            }

            // Other filters (BCJ, delta …) or check types: liblzma.
            slot?.Dispose();
            XzBlockHeader.TryReadDictionarySize(header, out var needs);
            using var liblzmaLease = await AcquireAsync(budget, needs, cancellationToken).ConfigureAwait(false);
            using var decoder = new XzDecoder(limits with { MemoryLimitBytes = liblzmaLease.Bytes, Threads = 1 });
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
            return null;
        }
    }

    /// <summary>Takes the share of the budget a block's dictionary needs (all of it when the header does not say).</summary>
    private static async Task<MemoryBudget.Lease> AcquireAsync(MemoryBudget budget, ulong dictionary, CancellationToken cancellationToken)
    {
        if (dictionary > (ulong)budget.Total)
        {
            ImportException.Throw(ImportFailureReason.DecoderLimit,
                $"xz stream needs {ByteSizeText.Format(dictionary)} of memory, above the {ByteSizeText.Format((ulong)budget.Total)} limit");
        }
        var need = dictionary == 0 ? budget.Total : (long)Math.Min((ulong)budget.Total, dictionary + DecoderOverhead);
        return await budget.AcquireAsync(need, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes a block whose only filter is LZMA2 with our own decoder, which repeats runs (zeros, patterns) as block
    /// copies where liblzma copies them byte by byte; the block's layout, sizes and check are verified here.
    /// </summary>
    private async Task DecodeLzma2BlockAsync(int number, Stream source, byte[] input, int headerSize, Lzma2Decoder decoder, Lzma2Block layout, WriteBehind writes, CancellationToken cancellationToken)
    {
        var block = index.Blocks[number];
        Interlocked.Add(ref _read, headerSize);
        using var output = new BlockOutput(writes, block, number, cancellationToken);
        var unread = block.TotalSize - headerSize;
        int start = 0, end = 0;
        long packed = 0;
        while (!decoder.Ended)
        {
            var used = decoder.DecodeChunk(input.AsSpan(start, end - start));
            if (used == 0)
            {
                if (unread == 0)
                {
                    ImportException.Throw(ImportFailureReason.CorruptImage, $"xz block {number} ends inside its data");
                }
                input.AsSpan(start, end - start).CopyTo(input);
                end -= start;
                start = 0;
                var n = await source.ReadAsync(input.AsMemory(end, (int)Math.Min(input.Length - end, unread)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    ImportException.Throw(ImportFailureReason.SourceTruncated, $"xz block {number} ended {unread} bytes early");
                }
                end += n;
                unread -= n;
                Interlocked.Add(ref _read, n);
                continue;
            }
            start += used;
            packed += used;
            decoder.Window.Take(out var first, out var second);
            layout.Check.Append(first);
            layout.Check.Append(second);
            output.Append(first);
            output.Append(second);
        }
        output.Finish();
        // After the data: zero padding to a multiple of four, then the check, and nothing else in the block.
        var trailer = layout.Check.TrailerSize(packed);
        if (end - start + unread != trailer)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"xz block {number} is {end - start + unread - trailer:+#;-#} bytes off the size its index lists");
        }
        input.AsSpan(start, end - start).CopyTo(input);
        end -= start;
        if (unread > 0)
        {
            await source.ReadExactlyAsync(input.AsMemory(end, (int)unread), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _read, unread);
        }
        if (!layout.Check.TrailerMatches(input.AsSpan(0, trailer), packed))
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"xz block {number} fails its integrity check");
        }
        if (!layout.Listed.Agree(packed, block.UncompressedSize))
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"xz block {number} header disagrees with its data");
        }
    }

    private sealed record Lzma2Block(XzBlockSizes Listed, XzCheck Check);

    private sealed class Lzma2Slot(MemoryBudget.Lease lease, Lzma2Decoder decoder) : IDisposable
    {
        public Lzma2Decoder Decoder => decoder;

        public void Dispose()
        {
            // Memory first, then the lease that accounted for it.
            decoder.Dispose();
            lease.Dispose();
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

    /// <summary>Collects a block's decoded bytes into whole output buffers (few, large writes) and checks its size.</summary>
    private sealed class BlockOutput(WriteBehind writes, XzBlock block, int number, CancellationToken cancellationToken) : IDisposable
    {
        private byte[]? _buffer;
        private long _flushed;
        private int _filled;

        public void Feed(XzDecoder decoder, ReadOnlySpan<byte> data)
        {
            while (true)
            {
                _buffer ??= writes.Rent(cancellationToken);
                // Room for one byte more than the block should hold, so a block that decodes too long is caught.
                var room = (int)Math.Min(_buffer.Length - _filled, block.UncompressedSize - _flushed - _filled + 1);
                decoder.Decode(data, _buffer.AsSpan(_filled, room), inputComplete: false, out var consumed, out var written);
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

        public void Append(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                _buffer ??= writes.Rent(cancellationToken);
                if (_flushed + _filled + data.Length > block.UncompressedSize)
                {
                    ImportException.Throw(ImportFailureReason.CorruptImage,
                        string.Create(CultureInfo.InvariantCulture, $"xz block {number} decodes to more than the {block.UncompressedSize} bytes its index lists"));
                }
                var n = Math.Min(data.Length, _buffer.Length - _filled);
                data[..n].CopyTo(_buffer.AsSpan(_filled));
                _filled += n;
                data = data[n..];
                if (_filled == _buffer.Length)
                {
                    Flush();
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
