using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 000 #3: the DataVolume (or its claim) names a storage class that does not exist: the claim never binds.</summary>
public sealed class StorageClassMissingRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        var existing = index.Snapshot.StorageClasses.Select(c => c.Metadata.Name!).Order(StringComparer.Ordinal).ToList();
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished && d.Claim?.Status?.Phase != "Bound"))
        {
            var named = dv.Claim?.Spec?.StorageClassName is { Length: > 0 } c ? c : dv.RequestedClass;
            if (named is null || index.StorageClass(named) is not null)
            {
                continue;
            }
            List<string> evidence = [Evidence.Field("spec.storage(.pvc).storageClassName", named), Evidence.Field("storage classes", string.Join(", ", existing))];
            evidence.AddRange(dv.Warnings.Where(e => e.Message?.Contains(named, StringComparison.Ordinal) == true).Take(2).Select(Evidence.Of));
            yield return new Finding
            {
                Id = FindingIds.StorageClassMissing,
                Severity = Severity.Error,
                Object = dv.Ref,
                Summary = $"storage class {named} does not exist, so the claim cannot bind",
                Evidence = evidence,
                Remedy = $"create storage class {named}, or {Remedies.Recreate(dv)} with storageClassName set to one of: {string.Join(", ", existing)}",
                DataVolume = dv.Key,
            };
        }
    }
}
