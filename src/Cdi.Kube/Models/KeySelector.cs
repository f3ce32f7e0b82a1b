namespace Cdi.Kube.Models;

/// <summary>secretKeyRef and configMapKeyRef share one shape.</summary>
public sealed record KeySelector
{
    public string Name { get; init; } = "";
    public string Key { get; init; } = "";
    public bool? Optional { get; init; }
}
