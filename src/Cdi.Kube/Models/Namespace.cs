using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Namespace : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Namespace";
    public ObjectMeta Metadata { get; init; } = new();
    public NamespaceStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
