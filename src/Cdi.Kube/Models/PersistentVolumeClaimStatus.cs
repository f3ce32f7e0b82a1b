using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolumeClaimStatus
{
    public string? Phase { get; init; }
    public List<string>? AccessModes { get; init; }
    public Dictionary<string, string>? Capacity { get; init; }
    public List<PodCondition>? Conditions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
