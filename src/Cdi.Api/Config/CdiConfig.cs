using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.Config;

/// <summary>The cluster singleton <c>config</c> (cdi.kubevirt.io/v1beta1 CDIConfig).</summary>
public sealed record CdiConfig : IKubeObject
{
    public const string SingletonName = "config";

    public string? ApiVersion { get; set; } = "cdi.kubevirt.io/v1beta1";
    public string? Kind { get; set; } = "CDIConfig";
    public ObjectMeta Metadata { get; set; } = new();
    public CdiConfigSpec? Spec { get; set; }
    public CdiConfigStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
