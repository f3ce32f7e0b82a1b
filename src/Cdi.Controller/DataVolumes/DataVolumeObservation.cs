using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;

namespace Cdi.Controller.DataVolumes;

/// <summary>Everything the decision about one DataVolume depends on, read from the informer caches at the start of a reconcile.</summary>
/// <param name="Progress">What the running importer reports of its progress, when it runs and says.</param>
public sealed record DataVolumeObservation(
    DataVolume DataVolume,
    PersistentVolumeClaim? Claim,
    Pod? ImporterPod,
    PersistentVolumeClaim? ScratchClaim,
    IReadOnlyList<StorageClass> StorageClasses,
    EffectiveSettings Settings,
    ImportProgress? Progress,
    DateTimeOffset Now)
{
    /// <summary>For a clone (<c>source.pvc</c>): the source side; null otherwise.</summary>
    public Cloning.CloneObservation? CloneSide { get; init; }
}
