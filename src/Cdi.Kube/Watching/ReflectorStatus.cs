namespace Cdi.Kube.Watching;

/// <summary>A reflector's recent trouble: zero consecutive failures means its last list or watch event went through.</summary>
/// <param name="LastError">The most recent failure (kept after recovery, for diagnosis).</param>
public sealed record ReflectorStatus(int ConsecutiveFailures, string? LastError, DateTimeOffset? LastErrorAt)
{
    public bool Failing => ConsecutiveFailures > 0;
}
