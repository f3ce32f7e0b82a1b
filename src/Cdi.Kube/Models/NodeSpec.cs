namespace Cdi.Kube.Models;

public sealed record NodeSpec
{
    public bool? Unschedulable { get; init; }
    public string? ProviderID { get; init; }
}
