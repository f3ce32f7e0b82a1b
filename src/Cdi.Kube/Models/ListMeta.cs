namespace Cdi.Kube.Models;

public sealed record ListMeta
{
    public string? ResourceVersion { get; init; }
    public string? Continue { get; init; }
    public long? RemainingItemCount { get; init; }
}
