namespace Cdi.Kube.Queues;

public static class RateLimiters
{
    /// <summary>
    /// The controller default, with client-go's numbers: per-item 5 ms doubling to 1000 s, and overall 10 retries/s
    /// with a burst of 100, whichever is longer.
    /// </summary>
    public static IRateLimiter<T> DefaultController<T>(TimeProvider timeProvider) where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, timeProvider));
}
