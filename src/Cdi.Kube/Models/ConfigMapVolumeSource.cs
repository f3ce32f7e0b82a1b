namespace Cdi.Kube.Models;

public sealed record ConfigMapVolumeSource
{
    public string Name { get; init; } = "";
    public List<KeyToPath>? Items { get; init; }
    public bool? Optional { get; init; }
}
