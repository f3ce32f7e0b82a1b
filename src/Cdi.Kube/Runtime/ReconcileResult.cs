namespace Cdi.Kube.Runtime;

/// <summary>What a reconcile asks of the queue besides the watches: nothing, a look after a delay, or a retry with backoff.</summary>
/// <param name="RequeueAfter">Look again after this long (waiting on something no watch reports, such as a timer).</param>
/// <param name="Requeue">Retry with the key's growing backoff, as after a failure, without logging one (a refused create, say).</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter = null, bool Requeue = false)
{
    public static ReconcileResult Done => default;

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    public static ReconcileResult Backoff => new(null, true);
}
