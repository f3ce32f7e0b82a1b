using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record Event : IKubeObject
{
    public string? ApiVersion { get; init; } = "v1";
    public string? Kind { get; init; } = "Event";
    public ObjectMeta Metadata { get; init; } = new();
    public ObjectReference InvolvedObject { get; init; } = new();
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? Type { get; init; }
    public int? Count { get; init; }
    public DateTimeOffset? FirstTimestamp { get; init; }
    public DateTimeOffset? LastTimestamp { get; init; }
    public EventSource? Source { get; init; }
    public string? ReportingComponent { get; init; }
    public string? ReportingInstance { get; init; }
    public string? Action { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
