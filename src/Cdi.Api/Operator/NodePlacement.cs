using System.Text.Json.Nodes;
using Cdi.Kube.Models;

namespace Cdi.Api.Operator;

/// <summary>kubevirt's <c>NodePlacement</c> (controller-lifecycle-operator-sdk): copied onto pods as given.</summary>
public sealed record NodePlacement
{
    public Dictionary<string, string>? NodeSelector { get; set; }
    public JsonObject? Affinity { get; set; }
    public List<Toleration>? Tolerations { get; set; }
}
