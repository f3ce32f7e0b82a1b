namespace Cdi.Kube.Models;

public sealed record SecretVolumeSource
{
    public string SecretName { get; init; } = "";
    public List<KeyToPath>? Items { get; init; }
    public bool? Optional { get; init; }
}
