namespace Cdi.Kube.Models;

public sealed record NodeCondition
{
    public string Type { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? LastHeartbeatTime { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
}
