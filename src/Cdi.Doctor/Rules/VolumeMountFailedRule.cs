using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #3 and seed 003: a pod stuck in ContainerCreating because its volume does not mount. The kubelet's message
/// tells the known causes apart: NFS locking without rpc.statd, and the ownership change timing out on a large volume.
/// </summary>
public sealed class VolumeMountFailedRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var group in PodEvents.StuckWarnings(index, "FailedMount", "FailedAttachVolume", "FailedMapVolume").GroupBy(x => x.Pod))
        {
            var pod = group.Key;
            var events = group.Select(x => x.Event).ToList();
            var text = string.Join("\n", events.Select(e => e.Message));
            var ns = pod.Metadata.Namespace;
            var (id, summary, remedy) = text switch
            {
                _ when text.Contains("rpc.statd", StringComparison.Ordinal) => (FindingIds.NfsStatdNotRunning,
                    "NFS mount fails: rpc.statd is not running on the node (needed for NFS locking)",
                    $"on node {pod.Spec?.NodeName ?? "NODE"}: systemctl restart rpc-statd; systemctl restart rpcbind (or mount with the nolock option)"),
                _ when text.Contains("timed out waiting for the condition", StringComparison.Ordinal) => (FindingIds.VolumePermissionTimeoutRisk,
                    "volume mount timed out: changing ownership to the pod's fsGroup on a large volume takes too long",
                    "set spec.securityContext.fsGroupChangePolicy: OnRootMismatch in the pod (or the VM template) that mounts it"),
                _ => (FindingIds.VolumeMountFailed, "the pod's volume does not mount, so it stays in ContainerCreating",
                    $"kubectl describe pod {pod.Metadata.Name} -n {ns}; check the CSI driver's node plugin on {pod.Spec?.NodeName ?? "the node"} and the PV it names"),
            };
            yield return new Finding
            {
                Id = id,
                Severity = Severity.Error,
                Object = PodEvents.Ref(pod),
                Summary = summary,
                Evidence = [.. events.Take(3).Select(Evidence.Of)],
                Remedy = remedy,
                DataVolume = index.DataVolumeOf(ns, pod.Metadata.Name),
            };
        }
    }
}
