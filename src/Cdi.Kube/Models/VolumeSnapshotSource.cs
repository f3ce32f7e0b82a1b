namespace Cdi.Kube.Models;

public sealed record VolumeSnapshotSource
{
    public string? PersistentVolumeClaimName { get; init; }
    public string? VolumeSnapshotContentName { get; init; }
}
