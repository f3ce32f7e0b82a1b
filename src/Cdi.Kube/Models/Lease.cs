using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Lease : IKubeObject
{
    public string? ApiVersion { get; init; } = "coordination.k8s.io/v1";
    public string? Kind { get; init; } = "Lease";
    public ObjectMeta Metadata { get; init; } = new();
    public LeaseSpec? Spec { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
