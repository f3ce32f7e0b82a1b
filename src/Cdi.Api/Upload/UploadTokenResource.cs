using System.Text.Json.Serialization;

namespace Cdi.Api.Upload;

/// <summary>The resource a token is about, as upstream's GroupVersionResource (<c>{"group":"","version":"v1","resource":"persistentvolumeclaims"}</c>).</summary>
public sealed record UploadTokenResource
{
    [JsonPropertyName("group")] public string? Group { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("resource")] public string? Resource { get; init; }
}
