using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record StorageClass : IKubeObject
{
    public string? ApiVersion { get; init; } = "storage.k8s.io/v1";
    public string? Kind { get; init; } = "StorageClass";
    public ObjectMeta Metadata { get; init; } = new();
    public string Provisioner { get; init; } = "";
    public Dictionary<string, string>? Parameters { get; init; }
    public string? ReclaimPolicy { get; init; }
    public string? VolumeBindingMode { get; init; }
    public bool? AllowVolumeExpansion { get; init; }
    public List<string>? MountOptions { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
