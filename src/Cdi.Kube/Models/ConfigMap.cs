using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record ConfigMap : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "ConfigMap";
    public ObjectMeta Metadata { get; init; } = new();
    public Dictionary<string, string>? Data { get; init; }
    public Dictionary<string, byte[]>? BinaryData { get; init; }
    public bool? Immutable { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
