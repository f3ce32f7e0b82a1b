namespace Cdi.Kube.Queues;

/// <summary>The longest delay any of the limiters asks for.</summary>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T> where T : notnull
{
    public TimeSpan When(T item)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(item);
            if (delay > max) max = delay;
        }
        return max;
    }

    public void Forget(T item)
    {
        foreach (var limiter in limiters) limiter.Forget(item);
    }

    public int NumRequeues(T item) => limiters.Max(l => l.NumRequeues(item));
}
