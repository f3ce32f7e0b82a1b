namespace Cdi.Kube.Models;

public sealed record ObjectFieldSelector
{
    public string? ApiVersion { get; init; }
    public string FieldPath { get; init; } = "";
}
