using Cdi.Api.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Models;

namespace Cdi.Controller.DataVolumes;

/// <summary>Everything the decision about one DataVolume depends on, read fresh at the start of a reconcile.</summary>
/// <param name="Progress">The importer's last reported percentage (from its log), when it runs.</param>
/// <param name="PodCreateError">The API server's refusal of the importer pod on the last attempt (a quota, say).</param>
public sealed record DataVolumeObservation(
    DataVolume DataVolume,
    PersistentVolumeClaim? Claim,
    Pod? ImporterPod,
    PersistentVolumeClaim? ScratchClaim,
    IReadOnlyList<StorageClass> StorageClasses,
    EffectiveSettings Settings,
    double? Progress,
    string? PodCreateError,
    DateTimeOffset Now);
