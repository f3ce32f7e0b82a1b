using Cdi.Api.DataVolumes;

namespace Cdi.Controller.Workers;

/// <summary>
/// The annotations upstream passes from a DataVolume to its worker pods (importer, upload server, clone source): Multus
/// networks, the sidecar-injection opt-outs (on by default, so a mesh does not hold a finished worker open) and the
/// pod's priority class and service account as upstream records them. Nothing else of the DataVolume's reaches the pod.
/// </summary>
public static class WorkerPodAnnotations
{
    public const string Networks = "k8s.v1.cni.cncf.io/networks";
    public const string DefaultNetwork = "v1.multus-cni.io/default-network";
    public const string IstioInject = "sidecar.istio.io/inject";
    public const string LinkerdInject = "linkerd.io/inject";
    public const string PriorityClassName = "cdi.kubevirt.io/storage.pod.priorityclassname";
    public const string ServiceAccountName = "cdi.kubevirt.io/storage.pod.serviceAccountName";

    /// <summary>Upstream's allow-list with the value used when the DataVolume says nothing (null: not set).</summary>
    private static readonly (string Key, string? Default)[] Allowed =
    [
        (Networks, null),
        (DefaultNetwork, null),
        (IstioInject, "false"),
        (LinkerdInject, "disabled"),
        (PriorityClassName, null),
        (ServiceAccountName, null),
    ];

    public static Dictionary<string, string> For(DataVolume dv)
    {
        var given = dv.Metadata.Annotations ?? [];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, fallback) in Allowed)
        {
            // An empty value is not passed on (upstream's rule); a DataVolume opts back in with any other value.
            var value = given.TryGetValue(key, out var v) ? v : fallback;
            if (!string.IsNullOrEmpty(value))
            {
                result[key] = value;
            }
        }
        // Upstream records spec.priorityClassName on the claim under this annotation, which then reaches the pod.
        if (!string.IsNullOrEmpty(dv.Spec.PriorityClassName))
        {
            result[PriorityClassName] = dv.Spec.PriorityClassName;
        }
        return result;
    }
}
