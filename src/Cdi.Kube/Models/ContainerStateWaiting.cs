namespace Cdi.Kube.Models;

public sealed record ContainerStateWaiting
{
    public string? Reason { get; init; }
    public string? Message { get; init; }
}
