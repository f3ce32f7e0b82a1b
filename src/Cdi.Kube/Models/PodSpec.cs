using System.Text.Json;
using System.Text.Json.Nodes;
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
    public PodSecurityContext? SecurityContext { get; init; }
    public List<LocalObjectReference>? ImagePullSecrets { get; init; }
    public List<Toleration>? Tolerations { get; init; }

    /// <summary>Carried as given: cdi copies the CDI resource's placement onto worker pods and never reads it.</summary>
    public JsonObject? Affinity { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
