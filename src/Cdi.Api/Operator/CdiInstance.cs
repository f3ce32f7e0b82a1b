using System.Text.Json;
using System.Text.Json.Serialization;
using Cdi.Kube.Models;

namespace Cdi.Api.Operator;

/// <summary>
/// The cluster-scoped <c>CDI</c> resource (cdi.kubevirt.io/v1beta1) that describes an installation; named for what it
/// is, since a type called <c>Cdi</c> would shadow the root namespace. The controller reads only its worker placement.
/// </summary>
public sealed record CdiInstance : IKubeObject
{
    public string? ApiVersion { get; set; } = "cdi.kubevirt.io/v1beta1";
    public string? Kind { get; set; } = "CDI";
    public ObjectMeta Metadata { get; set; } = new();
    public CdiInstanceSpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
