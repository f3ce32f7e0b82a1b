using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// One download over several connections, handed to the reader in order. The resource is cut into segments of
/// <see cref="HttpSourceOptions.SegmentSize"/>; the first comes from the initial 200 (then that connection is dropped),
/// the others from <c>Range: bytes=a-b</c> requests under <c>If-Range</c>, at most
/// <see cref="HttpSourceOptions.ParallelConnections"/> at a time, so memory stays at that many segments plus the one
/// being read. Each segment is accepted only from a 206 whose Content-Range is exactly its range; a broken segment
/// resumes from its last byte; anything ambiguous is <see cref="ImportFailureReason.SourceNotResumable"/> (the importer
/// then starts over), as for <see cref="ResumingHttpStream"/>.
/// </summary>
internal sealed class ParallelRangeStream : ReadOnlyForwardStream
{
    private readonly HttpFetcher _fetcher;
    private readonly RangeConditionHeaderValue _validator;
    private readonly long _length;
    private readonly int _segmentSize;
    private readonly int _connections;
    private readonly long _segmentCount;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<Task<byte[]>> _ahead = new();
    private long _nextToSchedule;
    private long _currentIndex = -1;
    private byte[]? _current;
    private int _currentCount;
    private int _currentOffset;
    private bool _disposed;

    public ParallelRangeStream(HttpFetcher fetcher, HttpResponseMessage initial, RangeConditionHeaderValue validator, long length)
    {
        _fetcher = fetcher;
        _validator = validator;
        _length = length;
        _segmentSize = fetcher.Options.SegmentSize;
        _connections = Math.Max(1, fetcher.Options.ParallelConnections);
        _segmentCount = (length + _segmentSize - 1) / _segmentSize;
        _ahead.Enqueue(FetchSegmentAsync(0, initial));
        _nextToSchedule = 1;
        // The other connections start once the consumer reads past the first segment's head: format detection only
        // peeks, and a qcow2 served with Range is then read by ranges instead, so eager segments would be wasted.
    }

    private const int EagerThreshold = 1 << 20;

    private void Schedule()
    {
        while (_ahead.Count < _connections && _nextToSchedule < _segmentCount)
        {
            var index = _nextToSchedule++;
            _ahead.Enqueue(Task.Run(() => FetchSegmentAsync(index, null)));
        }
    }

    private int SegmentLength(long index) => (int)Math.Min(_segmentSize, _length - (index * _segmentSize));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (_currentOffset == _currentCount && !AdvanceAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            return 0;
        }
        return TakeCurrent(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (_currentOffset == _currentCount && !await AdvanceAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }
        return TakeCurrent(buffer.Span);
    }

    private int TakeCurrent(Span<byte> buffer)
    {
        if (_currentIndex == 0 && _currentOffset < EagerThreshold && _currentOffset + buffer.Length >= EagerThreshold)
        {
            Schedule();
        }
        var n = Math.Min(buffer.Length, _currentCount - _currentOffset);
        _current.AsSpan(_currentOffset, n).CopyTo(buffer);
        _currentOffset += n;
        return n;
    }

    private async ValueTask<bool> AdvanceAsync(CancellationToken cancellationToken)
    {
        var starting = _currentIndex < 0;
        ReturnCurrent();
        if (!_ahead.TryDequeue(out var next))
        {
            return false;
        }
        if (!starting)
        {
            Schedule();
        }
        _current = await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        _currentIndex++;
        _currentCount = SegmentLength(_currentIndex);
        _currentOffset = 0;
        return true;
    }

    private void ReturnCurrent()
    {
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }
        _currentCount = 0;
        _currentOffset = 0;
    }

    private async Task<byte[]> FetchSegmentAsync(long index, HttpResponseMessage? initial)
    {
        var token = _stop.Token;
        var from = index * _segmentSize;
        var count = SegmentLength(index);
        var last = from + count - 1;
        var buffer = ArrayPool<byte>.Shared.Rent(count);
        var filled = 0;
        var failures = 0;
        var response = initial;
        try
        {
            while (filled < count)
            {
                RetryableFailure failure;
                try
                {
                    if (response is null)
                    {
                        response = await _fetcher.GetAsync(from + filled, last, _validator, failures, token).ConfigureAwait(false);
                        CheckPartial(response, from + filled, last);
                    }
                    using (response)
                    {
                        filled += await ReadSegmentAsync(response, buffer.AsMemory(filled, count - filled), token).ConfigureAwait(false);
                    }
                    response = null;
                    if (filled == count)
                    {
                        break;
                    }
                    failure = new(ImportFailureReason.SourceTruncated, $"segment {from}-{last} of {_fetcher.Description} ended after {filled} of {count} bytes");
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !token.IsCancellationRequested)
                {
                    failure = new(ImportFailureReason.SourceTruncated, $"segment {from}-{last} of {_fetcher.Description} broke off after {filled} of {count} bytes: {e.Message}");
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    failure = new(ImportFailureReason.SourceTruncated,
                        $"segment {from}-{last} of {_fetcher.Description} stalled: no byte for {_fetcher.Options.IdleTimeout.TotalSeconds:0.###} s");
                }
                response?.Dispose();
                response = null;
                failures++;
                await _fetcher.WaitBeforeRetryAsync(failures, failure, from + filled, token).ConfigureAwait(false);
            }
            return buffer;
        }
        catch
        {
            response?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Reads until <paramref name="target"/> is full or the body ends, failing after the idle timeout without a byte; returns the bytes read.</summary>
    private async Task<int> ReadSegmentAsync(HttpResponseMessage response, Memory<byte> target, CancellationToken token)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var timer = _fetcher.Time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), idle, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var filled = 0;
            while (filled < target.Length)
            {
                timer.Change(_fetcher.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
                var n = await body.ReadAsync(target[filled..], idle.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                filled += n;
            }
            return filled;
        }
    }

    private void CheckPartial(HttpResponseMessage response, long from, long last)
    {
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            response.Dispose();
            ImportException.Throw(ImportFailureReason.SourceNotResumable,
                $"{_fetcher.Description} answered a request for bytes {from}-{last} with HTTP {(int)response.StatusCode}: the resource changed or the server ignores Range");
        }
        if (range is null || range.Unit != "bytes" || range.From != from || range.To != last || range.Length != _length)
        {
            response.Dispose();
            ImportException.Throw(ImportFailureReason.SourceNotResumable,
                $"{_fetcher.Description} answered a request for bytes {from}-{last} with Content-Range \"{range}\" instead of bytes {from}-{last}/{_length}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _stop.Cancel();
            while (_ahead.TryDequeue(out var pending))
            {
                try
                {
                    ArrayPool<byte>.Shared.Return(pending.GetAwaiter().GetResult());
                }
                catch (Exception)
                {
                    // Cancelled or failed: its buffer was returned by the fetch itself; the failure that mattered was reported by the reader.
                }
            }
            ReturnCurrent();
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
