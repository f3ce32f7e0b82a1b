using System.Text.Json.Nodes;
using Cdi.Controller.DataVolumes;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #2/#3: a NetworkPolicy selects the worker pods and restricts their egress without allowing everything, so
/// the worker may not reach its source (or DNS). Said for DataVolumes that still import from the network.
/// </summary>
public sealed class NetworkPolicyRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished && d.DataVolume.Spec.Source is { } s && (s.Http is not null || s.Registry is not null || s.S3 is not null)))
        {
            var labels = dv.WorkerPod?.Metadata.Labels ?? new Dictionary<string, string>
            {
                [Annotations.AppLabel] = Annotations.AppLabelValue,
                [Annotations.RoleLabel] = Annotations.ImporterRole,
                [Annotations.DataVolumeLabel] = dv.Name,
            };
            var blocking = index.Snapshot.NetworkPolicies
                .Where(p => p["metadata"]?["namespace"]?.GetValue<string>() == dv.Namespace && RestrictsEgress(p)
                    && LabelSelectorMatch.Matches(p["spec"]?["podSelector"], labels))
                .ToList();
            if (blocking.Count == 0 || blocking.Any(AllowsAllEgress))
            {
                continue;
            }
            var names = blocking.Select(p => p["metadata"]?["name"]?.GetValue<string>() ?? "?").ToList();
            yield return new Finding
            {
                Id = FindingIds.NetworkPolicyBlocksWorker,
                Severity = Severity.Warning,
                Object = dv.Ref,
                Summary = $"NetworkPolicy {string.Join(", ", names)} restricts the worker pod's egress: it may not reach its source or DNS",
                Evidence = [.. names.Select(n => Evidence.Field($"networkpolicy/{n}", "selects the worker pod; policyTypes include Egress; no rule allows all egress"))],
                Remedy = $"allow the workers out: kubectl apply -n {dv.Namespace} -f - <<< '{{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\","
                    + "\"metadata\":{\"name\":\"cdi-worker-egress\"},\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"containerized-data-importer\"}},"
                    + "\"policyTypes\":[\"Egress\"],\"egress\":[{}]}}' (or narrow egress to the source's address and DNS)",
                DataVolume = dv.Key,
            };
        }
    }

    private static bool RestrictsEgress(JsonObject policy)
    {
        var spec = policy["spec"] as JsonObject;
        var types = (spec?["policyTypes"] as JsonArray)?.Select(t => t?.GetValue<string>()).ToList();
        // Without policyTypes, Kubernetes infers Egress only when egress rules are present.
        return types?.Contains("Egress") ?? spec?["egress"] is not null;
    }

    private static bool AllowsAllEgress(JsonObject policy) =>
        (policy["spec"]?["egress"] as JsonArray ?? []).OfType<JsonObject>().Any(rule => rule["to"] is null && rule["ports"] is null);
}
