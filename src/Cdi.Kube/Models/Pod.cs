using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Pod : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Pod";
    public ObjectMeta Metadata { get; init; } = new();
    public PodSpec? Spec { get; init; }
    public PodStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
