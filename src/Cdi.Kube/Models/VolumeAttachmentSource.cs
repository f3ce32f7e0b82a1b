namespace Cdi.Kube.Models;

public sealed record VolumeAttachmentSource
{
    public string? PersistentVolumeName { get; init; }
}
