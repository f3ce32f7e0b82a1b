using System.Globalization;

namespace Cdi.Testing.Http;

/// <summary>What the fault server answers to one request, and how it misbehaves while doing so.</summary>
public sealed record FaultReply
{
    public int Status { get; init; } = 200;
    public string ReasonPhrase { get; init; } = "OK";
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The Content-Length sent; the body's length unless set (a larger value makes a short body).</summary>
    public long? ContentLength { get; init; }

    /// <summary>Send this many body bytes, then reset the connection (TCP RST).</summary>
    public long? ResetAfter { get; init; }

    /// <summary>Send nothing at all, not even the status line, until the client gives up and closes.</summary>
    public bool Silent { get; init; }

    /// <summary>Send this many body bytes, then nothing more until the client gives up and closes.</summary>
    public long? StallAfter { get; init; }

    public static FaultReply WithStatus(int status, string reason, params (string Name, string Value)[] headers) => new()
    {
        Status = status,
        ReasonPhrase = reason,
        Headers = [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
    };

    public static FaultReply Redirect(string location, int status = 302) => WithStatus(status, "Found", ("Location", location));

    /// <summary>
    /// <paramref name="data"/> as a static file server serves it: <c>Accept-Ranges</c>, the validators given, and
    /// <c>Range: bytes=N-</c> and <c>bytes=N-M</c> honoured (unless <paramref name="honourRange"/> is false) when <c>If-Range</c> matches.
    /// </summary>
    public static FaultReply File(RecordedRequest request, ReadOnlyMemory<byte> data, string? etag = "\"v1\"", DateTimeOffset? lastModified = null,
        bool honourRange = true)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var modified = lastModified?.ToString("r", CultureInfo.InvariantCulture);
        if (etag is not null)
        {
            headers.Add(new("ETag", etag));
        }
        if (modified is not null)
        {
            headers.Add(new("Last-Modified", modified));
        }
        if (honourRange)
        {
            headers.Add(new("Accept-Ranges", "bytes"));
        }
        var ifRange = request.Header("If-Range");
        var conditionHolds = ifRange is null || ifRange == etag || ifRange == modified;
        if (honourRange && request.RangeStart is { } start && conditionHolds)
        {
            if (start >= data.Length)
            {
                return WithStatus(416, "Range Not Satisfiable", ("Content-Range", $"bytes */{data.Length}"));
            }
            var end = Math.Min(request.RangeEnd ?? data.Length - 1, data.Length - 1);
            headers.Add(new("Content-Range", $"bytes {start}-{end}/{data.Length}"));
            return new FaultReply { Status = 206, ReasonPhrase = "Partial Content", Headers = headers, Body = data[(int)start..(int)(end + 1)] };
        }
        return new FaultReply { Headers = headers, Body = data };
    }

    /// <summary>This reply with header <paramref name="name"/> replaced (or added).</summary>
    public FaultReply WithHeader(string name, string value) => this with
    {
        Headers = [.. Headers.Where(h => !h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)), KeyValuePair.Create(name, value)],
    };
}
