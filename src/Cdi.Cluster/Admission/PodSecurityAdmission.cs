using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The PodSecurity admission plugin's enforce mode: a pod created in a namespace labelled
/// <c>pod-security.kubernetes.io/enforce: baseline|restricted</c> that fails the level's checks
/// (<see cref="PodSecurityChecks"/>) is refused 403 with Kubernetes' message,
/// <c>violates PodSecurity "restricted:latest": reason (detail), …</c>. <c>audit</c> and <c>warn</c> are not served.
/// </summary>
internal static class PodSecurityAdmission
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";
    public const string EnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";

    public static void AdmitPod(ObjectStore store, ResourceDefinition d, JsonObject pod)
    {
        if (store.Get(new ObjectKey("namespaces", "", ObjectMeta.Namespace(pod))) is not { } ns
            || !ObjectMeta.Labels(ns).TryGetValue(EnforceLabel, out var value))
        {
            return;
        }
        var level = Level(value);
        var violations = PodSecurityChecks.Violations(pod, level);
        if (violations.Count == 0)
        {
            return;
        }
        var version = ObjectMeta.Labels(ns).GetValueOrDefault(EnforceVersionLabel) ?? "latest";
        throw ApiErrors.Forbidden(d, ObjectMeta.Name(pod),
            $"violates PodSecurity \"{level.ToString().ToLowerInvariant()}:{version}\": {string.Join(", ", violations)}");
    }

    // Kubernetes fails closed: a label value that names no level enforces the most restrictive one.
    private static PodSecurityLevel Level(string value) => value switch
    {
        "privileged" => PodSecurityLevel.Privileged,
        "baseline" => PodSecurityLevel.Baseline,
        _ => PodSecurityLevel.Restricted,
    };
}
