using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.DataVolumes;

public sealed record DataVolumeSpec
{
    public DataVolumeSource? Source { get; set; }
    public JsonElement? SourceRef { get; set; }

    /// <summary>Used as given (plain Kubernetes semantics).</summary>
    public PersistentVolumeClaimSpec? Pvc { get; set; }

    /// <summary>Completed from the StorageProfile and inflated for file system overhead.</summary>
    public PersistentVolumeClaimSpec? Storage { get; set; }

    public string? PriorityClassName { get; set; }

    /// <summary><c>kubevirt</c> (default; unknown values count as kubevirt, as upstream) or <c>archive</c>.</summary>
    public string? ContentType { get; set; }

    public bool? Preallocation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
