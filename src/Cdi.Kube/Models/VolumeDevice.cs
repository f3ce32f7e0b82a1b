namespace Cdi.Kube.Models;

public sealed record VolumeDevice
{
    public string Name { get; init; } = "";
    public string DevicePath { get; init; } = "";
}
