using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record VolumeResourceRequirements
{
    public Dictionary<string, string>? Requests { get; init; }
    public Dictionary<string, string>? Limits { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
