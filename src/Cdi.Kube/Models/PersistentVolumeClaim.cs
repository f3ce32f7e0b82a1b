using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolumeClaim : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "PersistentVolumeClaim";
    public ObjectMeta Metadata { get; init; } = new();
    public PersistentVolumeClaimSpec? Spec { get; init; }
    public PersistentVolumeClaimStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
