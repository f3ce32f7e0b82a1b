namespace Cdi.Kube.Models;

public sealed record StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Uid { get; init; }
    public List<StatusCause>? Causes { get; init; }
    public int? RetryAfterSeconds { get; init; }
}
