using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 003, foreseen: a pod with an fsGroup mounts a large volume without <c>fsGroupChangePolicy: OnRootMismatch</c>,
/// so every mount walks the whole volume to change ownership and can time out.
/// </summary>
public sealed class VolumePermissionRiskRule : IDoctorRule
{
    /// <summary>From here on a recursive ownership change over many files takes minutes on ordinary disks.</summary>
    public static readonly Quantity Large = Quantity.Parse("100Gi");

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        // A pod whose mount already fails is VolumeMountFailedRule's: the timeout it saw says more than a risk.
        var failing = PodEvents.StuckWarnings(index, "FailedMount").Select(x => x.Pod).ToHashSet();
        foreach (var pod in index.Snapshot.Pods.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed") && !failing.Contains(p)))
        {
            if (pod.Spec?.SecurityContext is not { FsGroup: { } fsGroup } context || context.FsGroupChangePolicy == "OnRootMismatch")
            {
                continue;
            }
            var large = (pod.Spec.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>()
                .Select(c => index.Claim(pod.Metadata.Namespace, c)).OfType<PersistentVolumeClaim>()
                .Select(c => (Claim: c, Size: Size(c))).Where(x => x.Size >= Large).ToList();
            if (large.Count == 0)
            {
                continue;
            }
            yield return new Finding
            {
                Id = FindingIds.VolumePermissionTimeoutRisk,
                Severity = Severity.Warning,
                Object = PodEvents.Ref(pod),
                Summary = $"fsGroup {fsGroup} on {large.Count} large volume(s) without fsGroupChangePolicy: OnRootMismatch: mounts may time out",
                Evidence = [Evidence.Field("spec.securityContext.fsGroup", fsGroup), .. large.Select(x => Evidence.Field($"persistentvolumeclaim/{x.Claim.Metadata.Name} size", x.Size))],
                Remedy = "set spec.securityContext.fsGroupChangePolicy: OnRootMismatch in the pod (or its template)",
                DataVolume = index.DataVolumeOf(pod.Metadata.Namespace, pod.Metadata.Name),
            };
        }
    }

    private static Quantity Size(PersistentVolumeClaim c) =>
        Quantity.TryParse(c.Status?.Capacity?.GetValueOrDefault("storage") ?? c.Spec?.Resources?.Requests?.GetValueOrDefault("storage"), out var q) ? q : Quantity.Zero;
}
