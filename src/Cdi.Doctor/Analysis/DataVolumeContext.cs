using Cdi.Api.DataVolumes;
using Cdi.Doctor.Findings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Analysis;

/// <summary>A DataVolume with what the controller made for it: claim, scratch claim, worker pod, and their events.</summary>
public sealed record DataVolumeContext(
    DataVolume DataVolume,
    PersistentVolumeClaim? Claim,
    PersistentVolumeClaim? ScratchClaim,
    Pod? WorkerPod,
    IReadOnlyList<Event> Events)
{
    public string Namespace => DataVolume.Metadata.Namespace ?? "default";
    public string Name => DataVolume.Metadata.Name ?? "";

    /// <summary><c>namespace/name</c>: how findings name the DataVolume they concern.</summary>
    public string Key => $"{Namespace}/{Name}";

    public ObjectRef Ref => new("DataVolume", Namespace, Name);

    public string? Phase => DataVolume.Status?.Phase;
    public bool Finished => Phase is DataVolumePhase.Succeeded;
    public bool Failed => Phase is DataVolumePhase.Failed;

    public DataVolumeCondition? Condition(string type) => DataVolume.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>The storage class the DataVolume asks for by name, or null when it takes the default.</summary>
    public string? RequestedClass => (DataVolume.Spec.Storage ?? DataVolume.Spec.Pvc)?.StorageClassName is { Length: > 0 } c ? c : null;

    /// <summary>Warning events about the DataVolume or its objects, newest first, as evidence lines.</summary>
    public IEnumerable<Event> Warnings => Events.Where(e => e.Type == "Warning");
}
