using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

/// <summary>Any <c>…List</c> kind: metadata with resourceVersion/continue plus items.</summary>
public sealed record KubeList<T>
{
    public string? ApiVersion { get; init; }
    public string? Kind { get; init; }
    public ListMeta Metadata { get; init; } = new();
    public List<T> Items { get; init; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
