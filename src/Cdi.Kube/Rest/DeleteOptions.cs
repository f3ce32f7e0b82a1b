namespace Cdi.Kube.Rest;

/// <summary>Sent as the DELETE body, as kubectl does.</summary>
public sealed record DeleteOptions
{
    public string ApiVersion { get; init; } = "v1";
    public string Kind { get; init; } = "DeleteOptions";
    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; init; }
    public long? GracePeriodSeconds { get; init; }
    public Preconditions? Preconditions { get; init; }
    public List<string>? DryRun { get; init; }
}
