namespace Cdi.Kube.Queues;

/// <summary>An overall token bucket (not per item): <paramref name="qps"/> refill, <paramref name="burst"/> capacity.</summary>
public sealed class BucketRateLimiter<T>(double qps, int burst, TimeProvider timeProvider) : IRateLimiter<T> where T : notnull
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private long _last = timeProvider.GetTimestamp();

    public TimeSpan When(T item)
    {
        lock (_gate)
        {
            var now = timeProvider.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + timeProvider.GetElapsedTime(_last, now).TotalSeconds * qps);
            _last = now;
            // Each call reserves a token, possibly one that only exists in the future: the wait until then is the delay.
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / qps);
        }
    }

    public void Forget(T item) { }

    public int NumRequeues(T item) => 0;
}
