namespace Cdi.Kube.Rest;

public sealed record PatchOptions
{
    public string? FieldManager { get; init; }
    /// <summary>Server-side apply only: take ownership of conflicting fields.</summary>
    public bool? Force { get; init; }
    public string? Subresource { get; init; }
}
