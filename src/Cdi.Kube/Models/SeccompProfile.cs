namespace Cdi.Kube.Models;

/// <summary><c>type</c> is <c>RuntimeDefault</c>, <c>Localhost</c> (with <c>localhostProfile</c>) or <c>Unconfined</c>.</summary>
public sealed record SeccompProfile
{
    public string Type { get; init; } = "";
    public string? LocalhostProfile { get; init; }
}
