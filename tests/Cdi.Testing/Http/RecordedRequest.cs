namespace Cdi.Testing.Http;

/// <summary>One request as the fault server received it.</summary>
/// <param name="Index">0 for the first request the server saw, counting every connection.</param>
public sealed record RecordedRequest(int Index, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The M of a <c>Range: bytes=N-M</c> header, or null without one or without M.</summary>
    public long? RangeEnd
    {
        get
        {
            var range = Header("Range");
            var dash = range?.IndexOf('-', StringComparison.Ordinal) ?? -1;
            return range is null || dash < 0 || dash == range.Length - 1 || RangeStart is null
                ? null
                : long.Parse(range.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The N of a <c>Range: bytes=N-</c> or <c>bytes=N-M</c> header, or null without one.</summary>
    public long? RangeStart
    {
        get
        {
            var range = Header("Range");
            if (range is null || !range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                return null;
            }
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            return long.Parse(range.AsSpan(6, dash - 6), System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
