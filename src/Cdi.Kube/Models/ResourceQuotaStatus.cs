namespace Cdi.Kube.Models;

public sealed record ResourceQuotaStatus
{
    public Dictionary<string, string>? Hard { get; init; }
    public Dictionary<string, string>? Used { get; init; }
}
