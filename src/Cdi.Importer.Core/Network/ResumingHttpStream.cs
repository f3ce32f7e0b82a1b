using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// The body of one GET that survives broken connections: when a read fails, stalls past the idle timeout or ends
/// before Content-Length, it asks again with <c>Range: bytes=N-</c> and <c>If-Range</c> (the strong ETag, else
/// Last-Modified, of the first answer) and continues only on a 206 whose Content-Range is exactly <c>N-(len-1)/len</c>.
/// Everything above it — checksum, decoders, writer — sees one unbroken byte stream. Anything else (no validator, a
/// 200, a 416, another range or length) throws <see cref="ImportFailureReason.SourceNotResumable"/> and the importer
/// starts over from a clean target: no byte is ever appended on ambiguity.
/// </summary>
internal sealed class ResumingHttpStream : ReadOnlyForwardStream
{
    private readonly HttpFetcher _fetcher;
    private readonly RangeConditionHeaderValue? _validator;
    private readonly long? _length;

    // Where this stream stops: the resource's end, or the end of the window asked for.
    private readonly long? _stop;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private CancellationTokenSource? _idle;
    private ITimer? _idleTimer;
    private long _position;
    private int _failures;

    private ResumingHttpStream(HttpFetcher fetcher, HttpResponseMessage response, Stream body, RangeConditionHeaderValue? validator, long? length,
        long start = 0, long? stop = null)
    {
        _fetcher = fetcher;
        _validator = validator;
        _length = length;
        _position = start;
        _stop = stop ?? length;
        Attach(response, body);
    }

    /// <summary>How many times the download was resumed.</summary>
    public int Resumes { get; private set; }

    public long? AnnouncedLength => _length;

    /// <summary>Continues the body of <paramref name="response"/>, a 200 for the whole resource.</summary>
    public static async Task<ResumingHttpStream> CreateAsync(HttpFetcher fetcher, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new ResumingHttpStream(fetcher, response, body, Validator(response), response.Content.Headers.ContentLength);
    }

    /// <summary>
    /// The bytes <paramref name="offset"/> up to (not including) <paramref name="offset"/> + <paramref name="count"/> of a
    /// resource of <paramref name="length"/> bytes pinned by <paramref name="validator"/>, resumed the same way on breaks.
    /// </summary>
    public static async Task<ResumingHttpStream> OpenRangeAsync(HttpFetcher fetcher, RangeConditionHeaderValue validator, long length,
        long offset, long count, CancellationToken cancellationToken)
    {
        var response = await fetcher.GetAsync(offset, offset + count - 1, validator, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            CheckRange(fetcher, response, offset, offset + count - 1, length);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResumingHttpStream(fetcher, response, body, validator, length, offset, offset + count);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>A strong ETag, else Last-Modified; weak ETags say nothing about bytes and are never used.</summary>
    public static RangeConditionHeaderValue? Validator(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { IsWeak: false } etag)
        {
            return new RangeConditionHeaderValue(etag);
        }
        return response.Content.Headers.LastModified is { } modified ? new RangeConditionHeaderValue(modified) : null;
    }

    private void Attach(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
        _idle = new CancellationTokenSource();
        _idleTimer = _fetcher.Time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), _idle, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void Detach()
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
        _body?.Dispose();
        _body = null;
        _response?.Dispose();
        _response = null;
        _idle?.Dispose();
        _idle = null;
    }

    public override int Read(Span<byte> buffer) => ReadThroughAsync(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_stop is { } stop)
        {
            buffer = buffer[..(int)Math.Min(buffer.Length, stop - _position)];
        }
        if (buffer.IsEmpty)
        {
            return 0;
        }
        while (true)
        {
            RetryableFailure failure;
            try
            {
                var n = await ReadCurrentAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    _position += n;
                    _failures = 0;
                    if (_position > _length)
                    {
                        ImportException.Throw(ImportFailureReason.SourceTruncated, $"download of {_fetcher.Description} sent more than its announced {_length} bytes");
                    }
                    return n;
                }
                if (_stop is not { } total || _position == total)
                {
                    return 0;
                }
                failure = new(ImportFailureReason.SourceTruncated, $"download of {_fetcher.Description} ended after {_position} of {total} bytes");
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                failure = new(ImportFailureReason.SourceTruncated, $"download of {_fetcher.Description} broke off after {_position} of {LengthText} bytes: {e.Message}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new(ImportFailureReason.SourceTruncated,
                    $"download of {_fetcher.Description} stalled: no byte for {_fetcher.Options.IdleTimeout.TotalSeconds:0.###} s after {_position} of {LengthText} bytes");
            }
            await ResumeAsync(failure, cancellationToken).ConfigureAwait(false);
        }
    }

    private string LengthText => _length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";

    private async Task<int> ReadCurrentAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var idle = _idle!;
        _idleTimer!.Change(_fetcher.Options.IdleTimeout, Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), idle)
            : default;
        try
        {
            return await _body!.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        finally
        {
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ResumeAsync(RetryableFailure failure, CancellationToken cancellationToken)
    {
        Detach();
        if (_validator is null)
        {
            ImportException.Throw(ImportFailureReason.SourceNotResumable, $"{failure.Message}; cannot resume: the server gave no strong ETag or Last-Modified");
        }
        _failures++;
        await _fetcher.WaitBeforeRetryAsync(_failures, failure, _position, cancellationToken).ConfigureAwait(false);
        // A window asks for its own end; the whole resource asks open-ended, as the first request did.
        var last = _stop != _length ? _stop - 1 : null;
        var response = await _fetcher.GetAsync(_position, last, _validator, _failures, cancellationToken).ConfigureAwait(false);
        try
        {
            CheckRange(_fetcher, response, _position, _stop - 1, _length);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            Attach(response, body);
            Resumes++;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Only a 206 for exactly <c>from-to/length</c> may continue the bytes already passed on.</summary>
    private static void CheckRange(HttpFetcher fetcher, HttpResponseMessage response, long from, long? to, long? length)
    {
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            ImportException.Throw(ImportFailureReason.SourceNotResumable,
                $"{fetcher.Description} answered a range request at byte {from} with HTTP {(int)response.StatusCode}: the resource changed or the server ignores Range");
        }
        var range = response.Content.Headers.ContentRange;
        if (range is null || range.Unit != "bytes" || range.From != from || (length is not null && (range.To != to || range.Length != length)))
        {
            ImportException.Throw(ImportFailureReason.SourceNotResumable,
                $"{fetcher.Description} answered a range request at byte {from} with Content-Range \"{range}\" instead of bytes {from}-{to}/{length}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Detach();
        }
        base.Dispose(disposing);
    }
}
