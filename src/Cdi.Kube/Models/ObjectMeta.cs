using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record ObjectMeta
{
    public string? Name { get; init; }
    public string? GenerateName { get; init; }
    public string? Namespace { get; init; }
    public string? Uid { get; init; }
    public string? ResourceVersion { get; init; }
    public long? Generation { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public long? DeletionGracePeriodSeconds { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public Dictionary<string, string>? Annotations { get; init; }
    public List<OwnerReference>? OwnerReferences { get; init; }
    public List<string>? Finalizers { get; init; }

    /// <summary>Fields this model does not name (managedFields, …) survive a read-modify-write.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
