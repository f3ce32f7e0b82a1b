using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #3: the class binds on first consumer and nothing consumes the claim yet, so the import has not started
/// (upstream's WaitForFirstConsumer); not a fault, but the usual reason a DataVolume "does nothing".
/// </summary>
public sealed class WffcNoConsumerRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(d => d.Phase == DataVolumePhase.WaitForFirstConsumer && d.Claim is not null))
        {
            var claim = dv.Claim!.Metadata.Name!;
            var consumers = index.PodsUsing(dv.Namespace, claim).Where(p => p.Metadata.Name != dv.WorkerPod?.Metadata.Name).ToList();
            if (consumers.Count > 0)
            {
                continue;
            }
            yield return new Finding
            {
                Id = FindingIds.WffcNoConsumer,
                Severity = Severity.Warning,
                Object = dv.Ref,
                Summary = $"claim {claim} waits for its first consumer (class {dv.Claim.Spec?.StorageClassName} is WaitForFirstConsumer); nothing uses it yet",
                Evidence = [Evidence.Field("status.phase", dv.Phase), Evidence.Field($"storageclass/{dv.Claim.Spec?.StorageClassName} volumeBindingMode", "WaitForFirstConsumer"),
                    Evidence.Field($"pods using persistentvolumeclaim/{claim}", "none")],
                Remedy = $"start the VM or pod that uses claim {claim}, or import now: kubectl annotate dv {dv.Name} -n {dv.Namespace} {Annotations.ImmediateBinding}=true",
                DataVolume = dv.Key,
            };
        }
    }
}
