using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 000 #1's other face: the namespace's quota has no room left for the worker pod or a claim.</summary>
public sealed class QuotaExceededRule : IDoctorRule
{
    private const string Marker = "exceeded quota:";

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished && !d.Failed))
        {
            var refusal = RefusalMessages.Of(dv).FirstOrDefault(r => r.Message.Contains(Marker, StringComparison.Ordinal));
            if (refusal.Message is null)
            {
                continue;
            }
            var quota = RefusalMessages.QuotaName(refusal.Message, Marker) ?? "QUOTA";
            var evidence = new List<string> { refusal.Evidence };
            evidence.AddRange(index.Snapshot.ResourceQuotas.Where(q => q.Metadata.Namespace == dv.Namespace && q.Metadata.Name == quota)
                .Select(q => Evidence.Field($"resourcequota/{quota} hard / used",
                    string.Join(", ", (q.Spec?.Hard ?? []).Select(kv => $"{kv.Key}={kv.Value}/{q.Status?.Used?.GetValueOrDefault(kv.Key) ?? "?"}")))));
            yield return new Finding
            {
                Id = FindingIds.QuotaExceeded,
                Severity = Severity.Error,
                Object = dv.Ref,
                Summary = $"resourcequota/{quota} has no room left for the DataVolume's worker or claim",
                Evidence = evidence,
                Remedy = $"free what the quota counts in {dv.Namespace}, or raise it: kubectl edit resourcequota {quota} -n {dv.Namespace}",
                DataVolume = dv.Key,
            };
        }
    }
}
