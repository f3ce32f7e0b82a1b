namespace Cdi.Cluster.Kubelet;

/// <summary>Knobs of the local pod runner; defaults are the kubelet's.</summary>
public sealed record PodRunnerOptions
{
    /// <summary>The one node of the local cluster, registered at start and set as pods' spec.nodeName.</summary>
    /// <remarks>Defaults to the host name, as the API server names the node it registers.</remarks>
    public string NodeName { get; init; } = Environment.MachineName.ToLowerInvariant();
    /// <summary>First CrashLoopBackOff delay; doubles per restart up to <see cref="MaxRestartBackoff"/> (kubelet: 10 s, 5 min).</summary>
    public TimeSpan InitialRestartBackoff { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxRestartBackoff { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>A container that ran this long without failing starts its backoff afresh (kubelet: 10 min).</summary>
    public TimeSpan BackoffResetAfter { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>How long ErrImagePull shows before it turns into ImagePullBackOff.</summary>
    public TimeSpan ImagePullBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Re-check of unbound volumes or missing config when no watch event arrives.</summary>
    public TimeSpan RecheckInterval { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A stopped container's process group gets SIGTERM, then SIGKILL after this long (short: `cluster down` waits for it).</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Termination messages are cut to this many bytes (the kubelet's limit).</summary>
    public int MaxTerminationMessageBytes { get; init; } = 4096;
    /// <summary>FallbackToLogsOnError uses at most this many last log lines.</summary>
    public int FallbackLogLines { get; init; } = 80;
}
