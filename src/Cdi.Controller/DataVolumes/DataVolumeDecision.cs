using Cdi.Api.DataVolumes;
using Cdi.Kube.Models;

namespace Cdi.Controller.DataVolumes;

/// <summary>What to do for one DataVolume: a pure function's output, carried out by the reconciler in this order.</summary>
public sealed record DataVolumeDecision
{
    public PersistentVolumeClaim? CreateClaim { get; init; }
    public PersistentVolumeClaim? CreateScratch { get; init; }
    public Pod? CreatePod { get; init; }
    public bool DeletePod { get; init; }
    public bool DeleteScratch { get; init; }

    /// <summary>A clone's source pod, created in the source claim's namespace (the reconciler adds its token).</summary>
    public Pod? CreateSourcePod { get; init; }
    public bool DeleteSourcePod { get; init; }

    /// <summary>Annotations the claim must carry (upload state for virtctl and the proxy); written when they differ.</summary>
    public IReadOnlyDictionary<string, string>? ClaimAnnotations { get; init; }
    public required DataVolumeStatus Status { get; init; }
    public IReadOnlyList<PlannedEvent> Events { get; init; } = [];
    public TimeSpan? RequeueAfter { get; init; }
}
