namespace Cdi.Api.DataVolumes;

/// <summary>Types <c>Ready</c>, <c>Bound</c>, <c>Running</c>, as upstream.</summary>
public sealed record DataVolumeCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "Unknown";
    public DateTimeOffset? LastTransitionTime { get; set; }
    public DateTimeOffset? LastHeartbeatTime { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
}
