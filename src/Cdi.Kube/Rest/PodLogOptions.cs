namespace Cdi.Kube.Rest;

public sealed record PodLogOptions
{
    public string? Container { get; init; }
    public int? TailLines { get; init; }
    public bool Previous { get; init; }
    public bool Follow { get; init; }
}
