namespace Cdi.Kube.Models;

public sealed record PersistentVolumeClaimVolumeSource
{
    public string ClaimName { get; init; } = "";
    public bool? ReadOnly { get; init; }
}
