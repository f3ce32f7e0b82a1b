namespace Cdi.Kube.Watching;

public sealed record ReflectorOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Page size for the (re)list.</summary>
    public int ListPageSize { get; init; } = 500;
    /// <summary>Asked of the server per watch connection; the reflector reconnects from the last version when it ends.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;
    /// <summary>Wait after a failed list or watch before trying again; doubles per consecutive failure.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest wait between tries, however often they failed.</summary>
    public TimeSpan MaxErrorBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
