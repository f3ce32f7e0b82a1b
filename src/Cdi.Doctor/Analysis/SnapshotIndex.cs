using Cdi.Controller.DataVolumes;
using Cdi.Controller.Storage;
using Cdi.Doctor.Snapshot;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Analysis;

/// <summary>The snapshot with the lookups rules share: each DataVolume's objects, classes by name, events by object.</summary>
public sealed class SnapshotIndex
{
    private readonly ILookup<(string? Ns, string? Name), Event> _eventsByObject;

    public SnapshotIndex(ClusterSnapshot snapshot)
    {
        Snapshot = snapshot;
        _eventsByObject = snapshot.Events
            .OrderByDescending(e => e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp)
            .ToLookup(e => (e.InvolvedObject.Namespace ?? e.Metadata.Namespace, e.InvolvedObject.Name));
        DataVolumes = [.. snapshot.DataVolumes
            .OrderBy(d => d.Metadata.Namespace, StringComparer.Ordinal).ThenBy(d => d.Metadata.Name, StringComparer.Ordinal)
            .Select(Context)];
    }

    public ClusterSnapshot Snapshot { get; }
    public IReadOnlyList<DataVolumeContext> DataVolumes { get; }

    public StorageClass? StorageClass(string? name) => StorageClassResolver.Find(name, Snapshot.StorageClasses);

    public IReadOnlyList<StorageClass> DefaultClasses => [.. Snapshot.StorageClasses
        .Where(c => c.Metadata.Annotations?.GetValueOrDefault(Annotations.DefaultStorageClass) == "true")];

    public PersistentVolumeClaim? Claim(string? ns, string? name) =>
        name is null ? null : Snapshot.Claims.FirstOrDefault(c => c.Metadata.Namespace == ns && c.Metadata.Name == name);

    public PersistentVolume? Volume(string? name) => name is null ? null : Snapshot.PersistentVolumes.FirstOrDefault(v => v.Metadata.Name == name);

    /// <summary>Events about one object, newest first.</summary>
    public IEnumerable<Event> EventsFor(string? ns, string? name, string kind) =>
        _eventsByObject[(ns, name)].Where(e => e.InvolvedObject.Kind == kind);

    /// <summary>The DataVolume a pod or claim belongs to, as <c>namespace/name</c>, when it is a cdi object.</summary>
    public string? DataVolumeOf(string? ns, string? name) =>
        DataVolumes.FirstOrDefault(d => d.Namespace == ns && (d.Claim?.Metadata.Name == name || d.ScratchClaim?.Metadata.Name == name
            || d.WorkerPod?.Metadata.Name == name))?.Key;

    /// <summary>Pods that mount a claim.</summary>
    public IEnumerable<Pod> PodsUsing(string? ns, string claimName) => Snapshot.Pods.Where(p => p.Metadata.Namespace == ns
        && (p.Spec?.Volumes ?? []).Any(v => v.PersistentVolumeClaim?.ClaimName == claimName));

    private DataVolumeContext Context(Cdi.Api.DataVolumes.DataVolume dv)
    {
        var ns = dv.Metadata.Namespace ?? "default";
        var claimName = dv.Status?.ClaimName ?? dv.Metadata.Name!;
        var claim = Claim(ns, claimName);
        var scratch = Claim(ns, ResourceNames.Scratch(claimName));
        var podName = ResourceNames.ImporterPod(claimName);
        var pod = Snapshot.Pods.FirstOrDefault(p => p.Metadata.Namespace == ns && p.Metadata.Name == podName)
            ?? Snapshot.Pods.FirstOrDefault(p => p.Metadata.Namespace == ns
                && p.Metadata.Labels?.GetValueOrDefault(Annotations.DataVolumeLabel) == dv.Metadata.Name);
        var events = EventsFor(ns, dv.Metadata.Name, "DataVolume")
            .Concat(claim is null ? [] : EventsFor(ns, claimName, "PersistentVolumeClaim"))
            .Concat(scratch is null ? [] : EventsFor(ns, scratch.Metadata.Name, "PersistentVolumeClaim"))
            .Concat(pod is null ? [] : EventsFor(ns, pod.Metadata.Name, "Pod"))
            .ToList();
        return new DataVolumeContext(dv, claim, scratch, pod, events);
    }
}
