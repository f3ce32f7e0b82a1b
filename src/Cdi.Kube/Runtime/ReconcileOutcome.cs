namespace Cdi.Kube.Runtime;

/// <summary>How one reconcile ended, as <see cref="Controller{TKey}.Reconciled"/> reports it.</summary>
public enum ReconcileOutcome
{
    Done,
    Requeued,
    Conflict,
    Failed,
    Terminal,
}
