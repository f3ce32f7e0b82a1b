using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolumeStatus
{
    public string? Phase { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
