namespace Cdi.Kube.Rest;

public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public int? Limit { get; init; }
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
}
