namespace Cdi.Kube.Models;

public sealed record OwnerReference
{
    public string ApiVersion { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string Uid { get; init; } = "";
    public bool? Controller { get; init; }
    public bool? BlockOwnerDeletion { get; init; }
}
