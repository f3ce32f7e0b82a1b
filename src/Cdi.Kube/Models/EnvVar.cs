namespace Cdi.Kube.Models;

public sealed record EnvVar
{
    public string Name { get; init; } = "";
    public string? Value { get; init; }
    public EnvVarSource? ValueFrom { get; init; }
}
