using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Says what the doctor could not read, so an empty report is never mistaken for a clean bill of health.</summary>
public sealed class SnapshotIncompleteRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        if (index.Snapshot.Unreadable.Count == 0)
        {
            yield break;
        }
        yield return new Finding
        {
            Id = FindingIds.SnapshotIncomplete,
            Severity = Severity.Info,
            Object = new ObjectRef("Cluster", null, "snapshot"),
            Summary = $"not read (findings about them are missing): {string.Join(", ", index.Snapshot.Unreadable)}",
            Evidence = [.. index.Snapshot.Unreadable],
            Remedy = "run with credentials that may list them (kubectl auth can-i list KIND -A)",
        };
    }
}
