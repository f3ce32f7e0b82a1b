using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PodSpec
{
    public List<Container> Containers { get; init; } = [];
    public List<Container>? InitContainers { get; init; }
    public List<Volume>? Volumes { get; init; }
    public string? RestartPolicy { get; init; }
    public string? NodeName { get; init; }
    public string? ServiceAccountName { get; init; }
    public bool? AutomountServiceAccountToken { get; init; }
    public long? TerminationGracePeriodSeconds { get; init; }
    public Dictionary<string, string>? NodeSelector { get; init; }
    public string? PriorityClassName { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
