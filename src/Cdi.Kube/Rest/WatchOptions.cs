namespace Cdi.Kube.Rest;

public sealed record WatchOptions
{
    /// <summary>Events after this version; null or "0" starts with synthetic ADDED events for what exists.</summary>
    public string? ResourceVersion { get; init; }
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public bool AllowWatchBookmarks { get; init; } = true;
    public int? TimeoutSeconds { get; init; }
}
