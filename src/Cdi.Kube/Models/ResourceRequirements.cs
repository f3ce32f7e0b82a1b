namespace Cdi.Kube.Models;

/// <summary>Quantities stay strings ("1Gi", "500m"); <see cref="Quantity"/> parses them when a number is needed.</summary>
public sealed record ResourceRequirements
{
    public Dictionary<string, string>? Limits { get; init; }
    public Dictionary<string, string>? Requests { get; init; }
}
