using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 003: "cannot allocate memory" creating a pod's sandbox or container: the kernel's memory cgroup kmem accounting bug (3.x/4.x kernels).</summary>
public sealed class KmemAccountingRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var group in PodEvents.StuckWarnings(index)
            .Where(x => x.Event.Message?.Contains("cannot allocate memory", StringComparison.OrdinalIgnoreCase) == true)
            .GroupBy(x => x.Pod))
        {
            var pod = group.Key;
            yield return new Finding
            {
                Id = FindingIds.KmemAccountingFailure,
                Severity = Severity.Error,
                Object = PodEvents.Ref(pod),
                Summary = $"node {pod.Spec?.NodeName ?? "?"} cannot create the pod's cgroup: cannot allocate memory (kernel kmem accounting)",
                Evidence = [.. group.Take(3).Select(x => Evidence.Of(x.Event))],
                Remedy = $"on node {pod.Spec?.NodeName ?? "NODE"}: add cgroup.memory=nokmem to GRUB_CMDLINE_LINUX in /etc/default/grub, "
                    + "grub2-mkconfig -o /boot/grub2/grub.cfg, reboot (or move to a kernel 5.x node)",
                DataVolume = index.DataVolumeOf(pod.Metadata.Namespace, pod.Metadata.Name),
            };
        }
    }
}
