namespace Cdi.Kube.Models;

public sealed record VolumeSnapshotStatus
{
    public string? BoundVolumeSnapshotContentName { get; init; }
    public bool? ReadyToUse { get; init; }
    public string? RestoreSize { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public VolumeSnapshotError? Error { get; init; }
}
