namespace Cdi.Controller.Runtime;

/// <summary>What a reconcile asks of the queue: nothing, or another look after a delay (for waiting on something external).</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => default;
}
