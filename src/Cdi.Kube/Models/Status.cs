namespace Cdi.Kube.Models;

/// <summary>The API server's answer on failure (and on some deletes).</summary>
public sealed record Status
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Status";
    public ListMeta? Metadata { get; init; }
    /// <summary>"Success" or "Failure" (the JSON field is <c>status</c>, a name C# reserves for the type).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("status")]
    public string? Outcome { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public int? Code { get; init; }
}
