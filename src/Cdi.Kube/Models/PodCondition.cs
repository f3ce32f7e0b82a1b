namespace Cdi.Kube.Models;

public sealed record PodCondition
{
    public string Type { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public DateTimeOffset? LastProbeTime { get; init; }
}
