using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record PodStatus
{
    public string? Phase { get; init; }
    public string? Message { get; init; }
    public string? Reason { get; init; }
    public string? HostIP { get; init; }
    public string? PodIP { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public List<PodCondition>? Conditions { get; init; }
    public List<ContainerStatus>? ContainerStatuses { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
