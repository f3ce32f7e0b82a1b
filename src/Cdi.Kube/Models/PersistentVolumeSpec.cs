using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolumeSpec
{
    public Dictionary<string, string>? Capacity { get; init; }
    public HostPathVolumeSource? HostPath { get; init; }
    public List<string>? AccessModes { get; init; }
    public ObjectReference? ClaimRef { get; init; }
    public string? PersistentVolumeReclaimPolicy { get; init; }
    public string? StorageClassName { get; init; }
    public string? VolumeMode { get; init; }
    public List<string>? MountOptions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
