namespace Cdi.Kube.Models;

public sealed record LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; init; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; init; }
}
