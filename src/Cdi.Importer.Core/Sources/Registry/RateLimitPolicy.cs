namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>How long to honour a registry's 429 answers: a few attempts, each waiting what Retry-After asks up to a cap.</summary>
public sealed record RateLimitPolicy(int Attempts, TimeSpan MaxWait, TimeSpan DefaultWait)
{
    public static readonly RateLimitPolicy Default = new(4, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(2));

    /// <summary>The wait before attempt <paramref name="attempt"/> (1-based retry), or null when the registry asks for longer than we wait.</summary>
    public TimeSpan? Wait(TimeSpan? retryAfter, int attempt)
    {
        var wait = retryAfter ?? DefaultWait * (1 << Math.Min(attempt - 1, 10));
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }
        return wait > MaxWait ? null : wait;
    }
}
