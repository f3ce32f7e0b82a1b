using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Analysis;

/// <summary>One diagnosis: a pure function of the snapshot (through its index) to the findings it proves.</summary>
public interface IDoctorRule
{
    IEnumerable<Finding> Check(SnapshotIndex index);
}
