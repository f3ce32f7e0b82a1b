using System.Net;
using System.Net.Http.Headers;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>
/// Positional reads over HTTP Range requests, pinned to one version of the resource with <c>If-Match</c> (or
/// <c>If-Unmodified-Since</c>) so the bytes inspected and the bytes converted are the same bytes. Reads go through a
/// small cache of aligned blocks with read-ahead on a few parallel connections; memory is bounded by the cache size.
/// </summary>
public sealed class HttpRangeReader : IRandomAccessReader
{
    private const int BlockSize = 4 << 20;
    private const int CachedBlocks = 12;
    private const int ReadAhead = 3;
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly EntityTagHeaderValue? _etag;
    private readonly DateTimeOffset? _lastModified;
    private readonly Dictionary<long, Task<byte[]>> _blocks = [];
    private readonly LinkedList<long> _lru = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _fetched;

    public HttpRangeReader(HttpClient client, Uri url, long length, EntityTagHeaderValue? etag, DateTimeOffset? lastModified)
    {
        _client = client;
        _url = url;
        Length = length;
        _etag = etag;
        _lastModified = lastModified;
    }

    public long Length { get; }

    public long BytesFetched => Interlocked.Read(ref _fetched);

    /// <summary>Whether a response lets us read the same bytes by range: Accept-Ranges, a length and a strong validator.</summary>
    public static bool CanServe(HttpResponseMessage response) =>
        response.Headers.AcceptRanges.Contains("bytes")
        && response.Content.Headers.ContentLength is > 0
        && (response.Headers.ETag is { IsWeak: false } || response.Content.Headers.LastModified is not null);

    public async ValueTask ReadExactlyAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (offset < 0 || offset + buffer.Length > Length)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"image refers to bytes {offset}..{offset + buffer.Length} beyond its end ({Length})");
        }
        while (buffer.Length > 0)
        {
            var index = offset / BlockSize;
            var block = await GetBlockAsync(index, cancellationToken).ConfigureAwait(false);
            var within = (int)(offset - index * BlockSize);
            var n = Math.Min(buffer.Length, block.Length - within);
            block.AsMemory(within, n).CopyTo(buffer);
            buffer = buffer[n..];
            offset += n;
        }
    }

    private Task<byte[]> GetBlockAsync(long index, CancellationToken cancellationToken)
    {
        Task<byte[]> wanted;
        lock (_lock)
        {
            wanted = Ensure(index);
            for (var ahead = 1; ahead <= ReadAhead && (index + ahead) * BlockSize < Length; ahead++)
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
        while (_blocks.Count >= CachedBlocks && _lru.First is { } oldest)
        {
            _blocks.Remove(oldest.Value);
            _lru.RemoveFirst();
        }
        var task = FetchAsync(index, _disposed.Token);
        _blocks[index] = task;
        _lru.AddLast(index);
        return task;
    }

    private async Task<byte[]> FetchAsync(long index, CancellationToken cancellationToken)
    {
        var start = index * BlockSize;
        var length = (int)Math.Min(BlockSize, Length - start);
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        request.Headers.Range = new RangeHeaderValue(start, start + length - 1);
        if (_etag is not null)
        {
            request.Headers.IfMatch.Add(_etag);
        }
        else
        {
            request.Headers.IfUnmodifiedSince = _lastModified;
        }
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            ImportException.Throw(ImportFailureReason.SourceUnavailable, $"{_url.GetLeftPart(UriPartial.Path)} changed on the server during the import");
        }
        var range = response.Content.Headers.ContentRange;
        if (response.StatusCode != HttpStatusCode.PartialContent || range?.From != start || range.To != start + length - 1 || range.Length != Length)
        {
            ImportException.Throw(ImportFailureReason.SourceHttpError,
                $"{_url.GetLeftPart(UriPartial.Path)} answered a range request with HTTP {(int)response.StatusCode} {range}");
        }
        var block = new byte[length];
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var read = await body.ReadAtLeastAsync(block, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read != length)
        {
            ImportException.Throw(ImportFailureReason.SourceTruncated, $"range {start}-{start + length - 1} of {_url.GetLeftPart(UriPartial.Path)} ended after {read} bytes");
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
