using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #1: a ResourceQuota tracks cpu/memory, so every container must state them, and the worker pod does not:
/// the API server refuses it and no importer pod ever appears. Seen in the refusal, or foreseen from the quota, the
/// LimitRanges and CDIConfig's pod resources for a DataVolume still waiting for its worker.
/// </summary>
public sealed class QuotaRequiresLimitsRule : IDoctorRule
{
    private const string Marker = "failed quota:";
    private static readonly string[] Constrained = ["cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory"];

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished && !d.Failed))
        {
            var refusal = RefusalMessages.Of(dv).FirstOrDefault(r => r.Message.Contains(Marker, StringComparison.Ordinal)
                && r.Message.Contains("must specify", StringComparison.Ordinal));
            if (refusal.Message is not null)
            {
                var quota = RefusalMessages.QuotaName(refusal.Message, Marker) ?? "QUOTA";
                yield return Finding(dv, Severity.Error, quota, [refusal.Evidence, .. QuotaEvidence(index, dv.Namespace, quota)],
                    "the worker pod is refused: a ResourceQuota requires cpu/memory limits it does not set");
                continue;
            }
            if (dv.WorkerPod is null && Foreseen(index, dv) is { } foreseen)
            {
                yield return Finding(dv, Severity.Warning, foreseen.Quota, foreseen.Evidence,
                    $"a ResourceQuota requires {string.Join(",", foreseen.Missing)} that the worker pod will not set");
            }
        }
    }

    private static Finding Finding(DataVolumeContext dv, Severity severity, string quota, IReadOnlyList<string> evidence, string summary) => new()
    {
        Id = FindingIds.QuotaRequiresLimits,
        Severity = severity,
        Object = dv.Ref,
        Summary = summary,
        Evidence = evidence,
        Remedy = $"give worker pods limits: kubectl patch cdiconfig config --type merge -p "
            + "'{\"spec\":{\"podResourceRequirements\":{\"limits\":{\"cpu\":\"750m\",\"memory\":\"600M\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"60M\"}}}}' "
            + $"(or, for namespace {dv.Namespace} only, a LimitRange there with type: Container default and defaultRequest for cpu and memory)",
        DataVolume = dv.Key,
    };

    private static IEnumerable<string> QuotaEvidence(SnapshotIndex index, string ns, string name) =>
        index.Snapshot.ResourceQuotas.Where(q => q.Metadata.Namespace == ns && q.Metadata.Name == name)
            .Select(q => Evidence.Field($"resourcequota/{name} spec.hard", string.Join(", ", (q.Spec?.Hard ?? []).Select(kv => $"{kv.Key}={kv.Value}"))));

    private static (string Quota, List<string> Missing, List<string> Evidence)? Foreseen(SnapshotIndex index, DataVolumeContext dv)
    {
        var config = index.Snapshot.CdiConfig;
        if (config is null)
        {
            return null; // the controller's own defaults state every constrained resource
        }
        var pod = config.Status?.DefaultPodResourceRequirements ?? config.Spec?.PodResourceRequirements;
        var defaults = index.Snapshot.LimitRanges.Where(l => l.Metadata.Namespace == dv.Namespace)
            .SelectMany(l => l.Spec?.Limits ?? []).Where(i => i.Type == "Container").ToList();
        var has = Specified(pod, defaults);
        foreach (var quota in index.Snapshot.ResourceQuotas.Where(q => q.Metadata.Namespace == dv.Namespace))
        {
            var missing = Constrained.Where(c => quota.Spec?.Hard?.ContainsKey(c) == true && !has.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                var name = quota.Metadata.Name ?? "QUOTA";
                return (name, missing, [.. QuotaEvidence(index, dv.Namespace, name),
                    Evidence.Field("cdiconfig/config podResourceRequirements", pod is null ? "none" : Describe(pod))]);
            }
        }
        return null;
    }

    private static HashSet<string> Specified(ResourceRequirements? pod, List<LimitRangeItem> defaults)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in new[] { "cpu", "memory" })
        {
            // A LimitRange default fills a missing limit, and a missing request from defaultRequest or the limit.
            var limit = pod?.Limits?.ContainsKey(r) == true || defaults.Any(d => d.Default?.ContainsKey(r) == true);
            var request = pod?.Requests?.ContainsKey(r) == true || limit || defaults.Any(d => d.DefaultRequest?.ContainsKey(r) == true);
            if (limit) names.Add("limits." + r);
            if (request)
            {
                names.Add(r);
                names.Add("requests." + r);
            }
        }
        return names;
    }

    private static string Describe(ResourceRequirements r) =>
        $"limits {string.Join(",", (r.Limits ?? []).Select(kv => $"{kv.Key}={kv.Value}"))}; requests {string.Join(",", (r.Requests ?? []).Select(kv => $"{kv.Key}={kv.Value}"))}";
}
