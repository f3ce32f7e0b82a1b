using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.StorageProfiles;

/// <summary>One per StorageClass, same name (cdi.kubevirt.io/v1beta1 StorageProfile).</summary>
public sealed record StorageProfile : IKubeObject
{
    public string? ApiVersion { get; set; } = "cdi.kubevirt.io/v1beta1";
    public string? Kind { get; set; } = "StorageProfile";
    public ObjectMeta Metadata { get; set; } = new();
    public StorageProfileSpec? Spec { get; set; }
    public StorageProfileStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
