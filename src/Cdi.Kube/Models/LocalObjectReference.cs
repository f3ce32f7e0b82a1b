namespace Cdi.Kube.Models;

/// <summary>A reference by name to an object in the same namespace (a pod's <c>imagePullSecrets</c> entries).</summary>
public sealed record LocalObjectReference
{
    public string Name { get; init; } = "";
}
