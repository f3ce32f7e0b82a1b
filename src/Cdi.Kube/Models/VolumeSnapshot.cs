using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record VolumeSnapshot : IKubeObject
{
    public string? ApiVersion { get; init; } = "snapshot.storage.k8s.io/v1";
    public string? Kind { get; init; } = "VolumeSnapshot";
    public ObjectMeta Metadata { get; init; } = new();
    public VolumeSnapshotSpec? Spec { get; init; }
    public VolumeSnapshotStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
