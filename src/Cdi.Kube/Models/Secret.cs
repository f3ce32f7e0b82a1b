using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Secret : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Secret";
    public ObjectMeta Metadata { get; init; } = new();
/// <summary>Values are base64 on the wire; System.Text.Json maps byte[] to base64 by itself.</summary>
    public Dictionary<string, byte[]>? Data { get; init; }
    public Dictionary<string, string>? StringData { get; init; }
    public string? Type { get; init; }
    public bool? Immutable { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
