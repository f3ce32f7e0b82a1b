using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record TypedObjectReference
{
    public string? ApiGroup { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Namespace { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
