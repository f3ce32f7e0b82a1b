using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #3: CDIConfig's scratch space class names a class that is gone, or one that cannot provision on demand
/// (scratch claims are made on the fly, so a class without dynamic provisioning leaves them Pending).
/// </summary>
public sealed class ScratchStorageClassInvalidRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        var config = index.Snapshot.CdiConfig;
        var configured = config?.Spec?.ScratchSpaceStorageClass is { Length: > 0 } s ? s : null;
        if (configured is null)
        {
            yield break;
        }
        var storageClass = index.StorageClass(configured);
        var noProvisioner = storageClass?.Provisioner == "kubernetes.io/no-provisioner";
        if (storageClass is not null && !noProvisioner)
        {
            yield break;
        }
        var existing = index.Snapshot.StorageClasses.Where(c => c.Provisioner != "kubernetes.io/no-provisioner").Select(c => c.Metadata.Name!)
            .Order(StringComparer.Ordinal).ToList();
        List<string> evidence = [Evidence.Field("cdiconfig/config spec.scratchSpaceStorageClass", configured)];
        evidence.Add(storageClass is null
            ? Evidence.Field("storage classes", string.Join(", ", index.Snapshot.StorageClasses.Select(c => c.Metadata.Name)))
            : Evidence.Field($"storageclass/{configured} provisioner", storageClass.Provisioner));
        if (config?.Status?.ScratchSpaceStorageClass is { } effective) evidence.Add(Evidence.Field("cdiconfig/config status.scratchSpaceStorageClass", effective));
        var list = existing.Count > 0 ? existing[0] : "CLASS";
        yield return new Finding
        {
            Id = FindingIds.ScratchStorageClassInvalid,
            // A missing class is skipped for the default one; a class that cannot provision leaves scratch claims Pending.
            Severity = storageClass is null ? Severity.Warning : Severity.Error,
            Object = new ObjectRef("CDIConfig", null, config!.Metadata.Name ?? "config"),
            Summary = storageClass is null
                ? $"scratch space class {configured} does not exist (scratch claims fall back to the default class)"
                : $"scratch space class {configured} has no dynamic provisioning: scratch claims stay Pending",
            Evidence = evidence,
            Remedy = $"kubectl patch cdiconfig config --type merge -p '{{\"spec\":{{\"scratchSpaceStorageClass\":\"{list}\"}}}}'"
                + (existing.Count > 1 ? $" (or one of {string.Join(", ", existing)})" : ""),
        };
    }
}
