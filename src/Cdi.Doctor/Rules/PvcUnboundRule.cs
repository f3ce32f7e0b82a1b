using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #3: the class exists and binds immediately, yet the claim stays Pending: the provisioner is not doing
/// its job. Said when the provisioner complained, the class cannot provision at all, or the claim waited too long.
/// </summary>
public sealed class PvcUnboundRule : IDoctorRule
{
    /// <summary>Longer than any healthy provisioner takes; shorter than anyone waits before asking why.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(2);

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(d => !d.Finished))
        {
            foreach (var claim in new[] { dv.Claim, dv.ScratchClaim })
            {
                if (claim is null || claim.Status?.Phase is "Bound" || index.StorageClass(claim.Spec?.StorageClassName) is not { } storageClass
                    || (storageClass.VolumeBindingMode == "WaitForFirstConsumer" && dv.WorkerPod is null))
                {
                    continue;
                }
                var events = index.EventsFor(dv.Namespace, claim.Metadata.Name, "PersistentVolumeClaim")
                    .Where(e => e.Type == "Warning" || e.Reason is "ExternalProvisioning" or "Provisioning").Take(3).ToList();
                var noProvisioner = storageClass.Provisioner == "kubernetes.io/no-provisioner";
                var stuck = index.Snapshot.TakenAt - claim.Metadata.CreationTimestamp > StuckAfter;
                if (events.Count == 0 && !noProvisioner && !stuck)
                {
                    continue;
                }
                List<string> evidence = [Evidence.Field($"persistentvolumeclaim/{claim.Metadata.Name} status.phase", claim.Status?.Phase ?? "Pending"),
                    Evidence.Field($"storageclass/{storageClass.Metadata.Name} provisioner", storageClass.Provisioner)];
                evidence.AddRange(events.Select(Evidence.Of));
                yield return new Finding
                {
                    Id = FindingIds.PvcUnbound,
                    Severity = Severity.Error,
                    Object = new ObjectRef("PersistentVolumeClaim", dv.Namespace, claim.Metadata.Name!),
                    Summary = noProvisioner
                        ? $"claim {claim.Metadata.Name} is Pending: class {storageClass.Metadata.Name} has no dynamic provisioning and no matching PV is free"
                        : $"claim {claim.Metadata.Name} is Pending: provisioner {storageClass.Provisioner} has not bound it",
                    Evidence = evidence,
                    Remedy = noProvisioner
                        ? $"create a PersistentVolume with storageClassName: {storageClass.Metadata.Name} and at least {Requested(claim)}, or use a class with a provisioner"
                        : $"check provisioner {storageClass.Provisioner} runs and its logs (kubectl get pods -A | grep -i provisioner); kubectl describe pvc {claim.Metadata.Name} -n {dv.Namespace}",
                    DataVolume = dv.Key,
                };
            }
        }
    }

    private static string Requested(PersistentVolumeClaim claim) => claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage") ?? "the requested size";
}
