namespace Cdi.Kube.Leases;

/// <summary>Who competes for which Lease, and the timing (client-go's usual 15 s / 10 s / 2 s by default).</summary>
public sealed record LeaderElectionConfig(string Namespace, string LeaseName, string Identity)
{
    /// <summary>How long a holder's claim stands without renewal before others may take it.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>A leader that has not renewed for this long gives up leadership.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Pause between acquire or renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>On cancellation, clear the holder so a successor need not wait out the lease.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
