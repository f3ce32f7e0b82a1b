namespace Cdi.Kube.Models;

public sealed record ResourceQuotaSpec
{
    public Dictionary<string, string>? Hard { get; init; }
    public List<string>? Scopes { get; init; }
}
