namespace Cdi.Kube.Models;

public sealed record LeaseSpec
{
    public string? HolderIdentity { get; init; }
    public int? LeaseDurationSeconds { get; init; }
    public DateTimeOffset? AcquireTime { get; init; }
    public DateTimeOffset? RenewTime { get; init; }
    public int? LeaseTransitions { get; init; }
}
