namespace Cdi.Kube.Models;

public sealed record VolumeSnapshotError
{
    public string? Message { get; init; }
    public DateTimeOffset? Time { get; init; }
}
