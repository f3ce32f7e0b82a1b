namespace Cdi.Doctor.Snapshot;

/// <summary>
/// What a dump carries besides objects, under the List's <c>cdiDoctor</c> field (kubectl ignores it, so a dump is
/// still a List kubectl can read).
/// </summary>
public sealed record DumpExtras
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public DateTimeOffset? TakenAt { get; init; }
    public string? ServerVersion { get; init; }
    public Dictionary<string, string>? WorkerLogs { get; init; }
    public List<string>? Unreadable { get; init; }
}
