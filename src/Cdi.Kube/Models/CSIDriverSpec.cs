namespace Cdi.Kube.Models;

public sealed record CSIDriverSpec
{
    public bool? AttachRequired { get; init; }
    public bool? PodInfoOnMount { get; init; }
    public List<string>? VolumeLifecycleModes { get; init; }
    public string? FsGroupPolicy { get; init; }
}
