using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record LimitRange : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "LimitRange";
    public ObjectMeta Metadata { get; init; } = new();
    public LimitRangeSpec? Spec { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
