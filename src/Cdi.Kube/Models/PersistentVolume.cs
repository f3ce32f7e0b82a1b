using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolume : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "PersistentVolume";
    public ObjectMeta Metadata { get; init; } = new();
    public PersistentVolumeSpec? Spec { get; init; }
    public PersistentVolumeStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
