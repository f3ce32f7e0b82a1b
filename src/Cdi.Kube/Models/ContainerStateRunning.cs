namespace Cdi.Kube.Models;

public sealed record ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; init; }
}
