using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record NodeStatus
{
    public Dictionary<string, string>? Capacity { get; init; }
    public Dictionary<string, string>? Allocatable { get; init; }
    public List<NodeAddress>? Addresses { get; init; }
    public List<NodeCondition>? Conditions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
