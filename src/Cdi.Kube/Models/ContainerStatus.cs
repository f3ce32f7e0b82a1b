namespace Cdi.Kube.Models;

public sealed record ContainerStatus
{
    public string Name { get; init; } = "";
    public string? Image { get; init; }
    public string? ImageID { get; init; }
    public string? ContainerID { get; init; }
    public bool Ready { get; init; }
    public bool? Started { get; init; }
    public int RestartCount { get; init; }
    public ContainerState? State { get; init; }
    public ContainerState? LastState { get; init; }
}
