namespace Cdi.Kube.Models;

public sealed record ContainerStateTerminated
{
    public int ExitCode { get; init; }
    public int? Signal { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? ContainerID { get; init; }
}
