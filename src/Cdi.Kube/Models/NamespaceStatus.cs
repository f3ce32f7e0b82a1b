namespace Cdi.Kube.Models;

public sealed record NamespaceStatus
{
    public string? Phase { get; init; }
}
