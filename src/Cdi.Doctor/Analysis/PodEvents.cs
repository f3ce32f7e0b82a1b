using Cdi.Kube.Models;

namespace Cdi.Doctor.Analysis;

/// <summary>Warning events about pods that still exist and have not started: old complaints of pods that run now are history.</summary>
public static class PodEvents
{
    public static IEnumerable<(Pod Pod, Event Event)> StuckWarnings(SnapshotIndex index, params string[] reasons) =>
        from pod in index.Snapshot.Pods
        where pod.Status?.Phase is null or "Pending"
        from e in index.EventsFor(pod.Metadata.Namespace, pod.Metadata.Name, "Pod")
        where e.Type == "Warning" && (reasons.Length == 0 || reasons.Contains(e.Reason))
        select (pod, e);

    public static Findings.ObjectRef Ref(Pod pod) => new("Pod", pod.Metadata.Namespace, pod.Metadata.Name ?? "");
}
