using Cdi.Controller.Storage;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 000 #3: more than one class is marked default; claims without a class get whichever is newest.</summary>
public sealed class MultipleDefaultStorageClassesRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        var defaults = index.DefaultClasses;
        if (defaults.Count < 2)
        {
            yield break;
        }
        var chosen = StorageClassResolver.Default(defaults)!.Metadata.Name!;
        var others = defaults.Select(c => c.Metadata.Name!).Where(n => n != chosen).Order(StringComparer.Ordinal).ToList();
        yield return new Finding
        {
            Id = FindingIds.MultipleDefaultStorageClasses,
            Severity = Severity.Warning,
            Object = new ObjectRef("StorageClass", null, chosen),
            Summary = $"{defaults.Count} storage classes are marked default; claims without a class get {chosen} (the newest)",
            Evidence = [.. defaults.Select(c => Evidence.Field($"storageclass/{c.Metadata.Name} created", c.Metadata.CreationTimestamp?.ToString("u")))],
            Remedy = "keep one default: " + string.Join("; ", others.Select(o => Remedies.MarkDefault(o, isDefault: false))),
        };
    }
}
