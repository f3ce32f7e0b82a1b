namespace Cdi.Kube.Queues;

/// <summary>Decides how long an item waits before it is retried.</summary>
public interface IRateLimiter<in T> where T : notnull
{
    /// <summary>The delay for this retry (and counts it).</summary>
    TimeSpan When(T item);

    /// <summary>The item succeeded: its failure history is cleared.</summary>
    void Forget(T item);

    int NumRequeues(T item);
}
