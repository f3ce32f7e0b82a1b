namespace Cdi.Kube.Runtime;

/// <summary>
/// Brings one key's objects toward their desired state, reading from informer caches. Level-based: the key is all it
/// is told, so any pass may be the first after a restart. Throw to be retried with backoff; throw
/// <see cref="TerminalReconcileException"/> for what no retry can fix.
/// </summary>
public interface IReconciler<TKey> where TKey : notnull
{
    Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Records a terminal failure where users see it (a condition and an event, typically). Called once per terminal
    /// failure; if it throws, the key is retried with backoff, so the failure is never dropped unrecorded.
    /// </summary>
    Task RecordTerminalAsync(TKey key, TerminalReconcileException failure, CancellationToken cancellationToken);
}
