using System.Text.Json.Nodes;
using Cdi.Api.Config;
using Cdi.Api.Operator;
using Cdi.Kube.Models;

namespace Cdi.Controller.Workers;

/// <summary>
/// Where worker pods run and how they pull the image: the CDI resource's <c>spec.workload</c> (nodeSelector,
/// tolerations, affinity) and CDIConfig's <c>imagePullSecrets</c>, as upstream places importer, upload and clone pods.
/// </summary>
public sealed record WorkerPlacement
{
    public static WorkerPlacement None { get; } = new();

    public Dictionary<string, string>? NodeSelector { get; init; }
    public List<Toleration>? Tolerations { get; init; }
    public JsonObject? Affinity { get; init; }
    public List<LocalObjectReference>? ImagePullSecrets { get; init; }

    /// <param name="installation">The CDI resource (at most one exists; null before the operator made it).</param>
    public static WorkerPlacement From(CdiInstance? installation, CdiConfig? config)
    {
        var workload = installation?.Spec?.Workload;
        return new()
        {
            NodeSelector = workload?.NodeSelector is { Count: > 0 } selector ? selector : null,
            Tolerations = workload?.Tolerations is { Count: > 0 } tolerations ? tolerations : null,
            // A copy: a pod built from it is serialized and may be changed later; the cached object must not be.
            Affinity = workload?.Affinity?.DeepClone().AsObject(),
            ImagePullSecrets = config?.Status?.ImagePullSecrets ?? config?.Spec?.ImagePullSecrets,
        };
    }
}
