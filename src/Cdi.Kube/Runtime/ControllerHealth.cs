namespace Cdi.Kube.Runtime;

/// <summary>A snapshot of a controller: whether its caches are live, how much waits, how reconciles fare.</summary>
/// <param name="QueueDepth">Keys ready and waiting for a worker (not counting delayed ones).</param>
/// <param name="Failures">Reconciles that threw (conflicts and terminal failures excluded).</param>
public sealed record ControllerHealth(
    string Name,
    IReadOnlyList<InformerHealth> Informers,
    int QueueDepth,
    long Reconciles,
    long Failures,
    long Conflicts,
    long TerminalFailures,
    string? LastError,
    DateTimeOffset? LastErrorAt)
{
    /// <summary>Every informer synced and none failing.</summary>
    public bool Healthy => Informers.All(i => i.Synced && !i.Failing);
}
