namespace Cdi.Kube.Models;

public sealed record Toleration
{
    public string? Key { get; init; }
    public string? Operator { get; init; }
    public string? Value { get; init; }
    public string? Effect { get; init; }
    public long? TolerationSeconds { get; init; }
}
