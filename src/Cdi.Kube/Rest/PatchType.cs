namespace Cdi.Kube.Rest;

public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch.</summary>
    Merge,
    /// <summary>RFC 6902 JSON patch.</summary>
    Json,
    StrategicMerge,
    /// <summary>Server-side apply: the body is the full intended object; needs a field manager.</summary>
    Apply,
}
