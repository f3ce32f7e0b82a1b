using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record ServiceSpec
{
    public string? Type { get; init; }
    public string? ClusterIP { get; init; }
    public Dictionary<string, string>? Selector { get; init; }
    public List<ServicePort>? Ports { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
