namespace Cdi.Doctor.Analysis;

/// <summary>
/// What the API server said when it refused a DataVolume's objects: the Running condition (where the controller keeps
/// the refusal while it retries) and the Warning events, as (evidence line, message) pairs, condition first.
/// </summary>
public static class RefusalMessages
{
    public static IEnumerable<(string Evidence, string Message)> Of(DataVolumeContext dv)
    {
        if (dv.Condition("Running") is { Status: "False", Message: { Length: > 0 } m } running)
        {
            yield return (Analysis.Evidence.Of(running), m);
        }
        foreach (var e in dv.Warnings)
        {
            if (e.Message is { Length: > 0 } message)
            {
                yield return (Analysis.Evidence.Of(e), message);
            }
        }
    }

    /// <summary>The quota's name in Kubernetes' <c>failed quota: NAME:</c> / <c>exceeded quota: NAME,</c> messages.</summary>
    public static string? QuotaName(string message, string marker)
    {
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = message[(at + marker.Length)..].TrimStart();
        var end = rest.IndexOfAny([':', ',', ' ']);
        return end <= 0 ? null : rest[..end];
    }
}
