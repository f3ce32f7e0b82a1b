using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Volume
{
    public string Name { get; init; } = "";
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; init; }
    public ConfigMapVolumeSource? ConfigMap { get; init; }
    public SecretVolumeSource? Secret { get; init; }
    public EmptyDirVolumeSource? EmptyDir { get; init; }
    public HostPathVolumeSource? HostPath { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
