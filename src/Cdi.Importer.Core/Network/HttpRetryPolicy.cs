namespace Cdi.Importer.Core.Network;

/// <summary>
/// How transient network failures are retried: exponential backoff with jitter, a server's <c>Retry-After</c> honoured
/// up to <see cref="MaxRetryAfter"/>. <see cref="MaxAttempts"/> counts attempts in a row that made no progress: a
/// download that keeps moving between hiccups is never given up.
/// </summary>
public sealed record HttpRetryPolicy
{
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1: half the exponential step plus up to another half at random.</summary>
    public TimeSpan Backoff(int failedAttempts, double random)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var step = Math.Min(MaxDelay.Ticks, InitialDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)((step / 2) + (step / 2 * random)));
    }

    /// <summary>The wait a server asked for, bounded.</summary>
    public TimeSpan RetryAfter(TimeSpan asked) => asked < TimeSpan.Zero ? TimeSpan.Zero : asked > MaxRetryAfter ? MaxRetryAfter : asked;
}
