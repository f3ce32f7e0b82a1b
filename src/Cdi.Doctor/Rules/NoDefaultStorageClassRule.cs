using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 000 #3: a DataVolume names no storage class and the cluster has no default, so no claim is made.</summary>
public sealed class NoDefaultStorageClassRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        if (index.DefaultClasses.Count > 0)
        {
            yield break;
        }
        var classes = index.Snapshot.StorageClasses.Select(c => c.Metadata.Name!).Order(StringComparer.Ordinal).ToList();
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished && d.RequestedClass is null
            && (d.Claim is null || (d.Claim.Spec?.StorageClassName is null && d.Claim.Status?.Phase != "Bound"))))
        {
            List<string> evidence = [Evidence.Field("storage classes", classes.Count == 0 ? "none" : string.Join(", ", classes) + " (none marked default)")];
            if (dv.Condition("Bound") is { Reason: "NoStorageClass" } bound) evidence.Insert(0, Evidence.Of(bound));
            yield return new Finding
            {
                Id = FindingIds.NoDefaultStorageClass,
                Severity = Severity.Error,
                Object = dv.Ref,
                Summary = "the DataVolume names no storage class and the cluster has no default one",
                Evidence = evidence,
                Remedy = classes.Count == 1
                    ? Remedies.MarkDefault(classes[0])
                    : $"mark one class default: {Remedies.MarkDefault("CLASS")}" + (classes.Count == 0 ? " (create a StorageClass first)" : $" (one of {string.Join(", ", classes)})"),
                DataVolume = dv.Key,
            };
        }
    }
}
