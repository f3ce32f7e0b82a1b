using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record CSIDriver : IKubeObject
{
    public string? ApiVersion { get; init; } = "storage.k8s.io/v1";
    public string? Kind { get; init; } = "CSIDriver";
    public ObjectMeta Metadata { get; init; } = new();
    public CSIDriverSpec? Spec { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
