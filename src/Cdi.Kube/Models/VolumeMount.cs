namespace Cdi.Kube.Models;

public sealed record VolumeMount
{
    public string Name { get; init; } = "";
    public string MountPath { get; init; } = "";
    public string? SubPath { get; init; }
    public bool? ReadOnly { get; init; }
}
