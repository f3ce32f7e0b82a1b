using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PersistentVolumeClaimSpec
{
    public List<string>? AccessModes { get; init; }
    public VolumeResourceRequirements? Resources { get; init; }
    public string? StorageClassName { get; init; }
    public string? VolumeMode { get; init; }
    public string? VolumeName { get; init; }
    public LabelSelector? Selector { get; init; }
    public TypedObjectReference? DataSource { get; init; }
    public TypedObjectReference? DataSourceRef { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
