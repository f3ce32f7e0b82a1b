using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Api.Operator;

public sealed record CdiInstanceSpec
{
    /// <summary>Upstream's <c>spec.workload</c>: where worker pods (importer, upload server, clone source) run.</summary>
    public NodePlacement? Workload { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
