using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cdi.Kube.Models;

public sealed record VolumeAttachment : IKubeObject
{
    public string? ApiVersion { get; init; } = "storage.k8s.io/v1";
    public string? Kind { get; init; } = "VolumeAttachment";
    public ObjectMeta Metadata { get; init; } = new();
    public VolumeAttachmentSpec? Spec { get; init; }
    public VolumeAttachmentStatus? Status { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
