using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.DataVolumes;

/// <summary><c>cdi.kubevirt.io/v1beta1</c> DataVolume, wire-compatible with upstream CDI.</summary>
public sealed record DataVolume : IKubeObject
{
    public const string Group = "cdi.kubevirt.io";

    public string? ApiVersion { get; set; } = Group + "/v1beta1";
    public string? Kind { get; set; } = "DataVolume";
    public ObjectMeta Metadata { get; set; } = new();
    public DataVolumeSpec Spec { get; set; } = new();
    public DataVolumeStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
