namespace Cdi.Kube.Models;

public sealed record VolumeSnapshotSpec
{
    public VolumeSnapshotSource Source { get; init; } = new();
    public string? VolumeSnapshotClassName { get; init; }
}
