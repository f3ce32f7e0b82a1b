using System.Net;
using System.Net.Http.Headers;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>
/// Positional reads over HTTP Range requests, pinned to one version of the resource with <c>If-Range</c> (a changed
/// resource answers 200, which fails the import) so the bytes inspected and the bytes converted are the same bytes.
/// Requests go through the source's fetcher: its credentials, redirect rules, SSRF guard and retries apply. Reads go through a
/// small cache of aligned blocks with read-ahead on a few parallel connections; memory is bounded by the cache size.
/// </summary>
internal sealed class HttpRangeReader : IRandomAccessReader
{
    // Small blocks: bulk data goes through OpenRangeAsync; the cache serves metadata and runs of small reads (tables,
    // compressed clusters), where a few blocks of read-ahead keep the requests flowing.
    private const int BlockSize = 1 << 20;
    private const int CachedBlocks = 8;
    private const int ReadAhead = 4;
    private readonly HttpFetcher _fetcher;
    private readonly RangeConditionHeaderValue _validator;
    private readonly Dictionary<long, Task<byte[]>> _blocks = [];
    private readonly LinkedList<long> _lru = new();

    // Block buffers are reused: allocating one per block let the heap balloon to hundreds of MiB on big images.
    private readonly Stack<byte[]> _spare = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _fetched;
    private long _lastIndex = -2;

    public HttpRangeReader(HttpFetcher fetcher, long length, RangeConditionHeaderValue validator)
    {
        _fetcher = fetcher;
        Length = length;
        _validator = validator;
    }

    public long Length { get; }

    public long BytesFetched => Interlocked.Read(ref _fetched);

    public async ValueTask ReadExactlyAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        IRandomAccessReader.CheckWithin(offset, buffer.Length, Length);
        while (buffer.Length > 0)
        {
            var index = offset / BlockSize;
            var block = await GetBlockAsync(index, cancellationToken).ConfigureAwait(false);
            var within = (int)(offset - index * BlockSize);
            var n = Math.Min(buffer.Length, BlockLength(index) - within);
            block.AsMemory(within, n).CopyTo(buffer);
            buffer = buffer[n..];
            offset += n;
        }
    }

    /// <summary>One request per range, bypassing the block cache: parallel readers of distant parts would only evict each other.</summary>
    public async ValueTask<Stream> OpenRangeAsync(long offset, long count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        IRandomAccessReader.CheckWithin(offset, count, Length);
        var stream = await ResumingHttpStream.OpenRangeAsync(_fetcher, _validator, Length, offset, count, cancellationToken).ConfigureAwait(false);
        return new Counted(stream, this);
    }

    /// <summary>Range bodies count towards <see cref="BytesFetched"/> like cached blocks do.</summary>
    private sealed class Counted(Stream inner, HttpRangeReader owner) : Streams.ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer) => Add(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Add(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        private int Add(int n)
        {
            Interlocked.Add(ref owner._fetched, n);
            return n;
        }
    }

    private Task<byte[]> GetBlockAsync(long index, CancellationToken cancellationToken)
    {
        Task<byte[]> wanted;
        lock (_lock)
        {
            wanted = Ensure(index);
            // Read ahead only once reads go forward: a header here and an index at the end must not pull in the blocks after them.
            var sequential = index == _lastIndex || index == _lastIndex + 1;
            _lastIndex = index;
            for (var ahead = 1; sequential && ahead <= ReadAhead && (index + ahead) * BlockSize < Length; ahead++)
            {
                Ensure(index + ahead);
            }
        }
        return wanted.WaitAsync(cancellationToken);
    }

    private Task<byte[]> Ensure(long index)
    {
        if (_blocks.TryGetValue(index, out var existing))
        {
            _lru.Remove(index);
            _lru.AddLast(index);
            return existing;
        }
        // Evict the least recently used finished blocks; blocks still downloading stay (a few beyond the bound at most).
        for (var node = _lru.First; node is not null && _blocks.Count >= CachedBlocks;)
        {
            var next = node.Next;
            if (_blocks[node.Value] is { IsCompleted: true } done)
            {
                if (done.IsCompletedSuccessfully)
                {
                    _spare.Push(done.Result);
                }
                _blocks.Remove(node.Value);
                _lru.Remove(node);
            }
            node = next;
        }
        var task = FetchAsync(index, _spare.Count > 0 ? _spare.Pop() : new byte[BlockSize], _disposed.Token);
        _blocks[index] = task;
        _lru.AddLast(index);
        return task;
    }

    private int BlockLength(long index) => (int)Math.Min(BlockSize, Length - index * BlockSize);

    private async Task<byte[]> FetchAsync(long index, byte[] block, CancellationToken cancellationToken)
    {
        var start = index * BlockSize;
        var length = BlockLength(index);
        using var response = await _fetcher.GetAsync(start, start + length - 1, _validator, 0, cancellationToken).ConfigureAwait(false);
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            ImportException.Throw(ImportFailureReason.SourceUnavailable, $"{_fetcher.Description} changed on the server during the import");
        }
        if (range?.From != start || range.To != start + length - 1 || range.Length != Length)
        {
            ImportException.Throw(ImportFailureReason.SourceHttpError, $"{_fetcher.Description} answered a range request with the wrong range {range}");
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var read = await body.ReadAtLeastAsync(block, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read != length)
        {
            ImportException.Throw(ImportFailureReason.SourceTruncated, $"range {start}-{start + length - 1} of {_fetcher.Description} ended after {read} bytes");
        }
        Interlocked.Add(ref _fetched, length);
        return block;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _blocks.Values];
            _blocks.Clear();
        }
        foreach (var t in pending)
        {
            try
            {
                await t.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Read-ahead nobody waited for: its failure does not matter any more.
            }
        }
        _disposed.Dispose();
    }
}
