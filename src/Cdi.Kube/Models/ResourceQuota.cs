using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record ResourceQuota : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "ResourceQuota";
    public ObjectMeta Metadata { get; init; } = new();
    public ResourceQuotaSpec? Spec { get; init; }
    public ResourceQuotaStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
