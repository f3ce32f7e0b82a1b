namespace Cdi.Kube.Queues;

/// <summary>Per-item backoff: base × 2^failures, capped.</summary>
public sealed class ItemExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T> where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int exponent;
        lock (_gate)
        {
            exponent = _failures.GetValueOrDefault(item);
            _failures[item] = exponent + 1;
        }
        // Doubles overflow long before int exponents do; compare in floating point and cap.
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_gate) _failures.Remove(item);
    }

    public int NumRequeues(T item)
    {
        lock (_gate) return _failures.GetValueOrDefault(item);
    }
}
