namespace Cdi.Kube.Models;

public sealed record VolumeAttachmentStatus
{
    public bool Attached { get; init; }
    public Dictionary<string, string>? AttachmentMetadata { get; init; }
}
