using Cdi.Doctor.Findings;
using Cdi.Doctor.Rules;
using Cdi.Doctor.Snapshot;

namespace Cdi.Doctor.Analysis;

/// <summary>Runs every rule over a snapshot: findings in a stable order (errors first, then by object and id).</summary>
public static class Examiner
{
    public static IReadOnlyList<IDoctorRule> Rules { get; } =
    [
        new QuotaRequiresLimitsRule(),
        new QuotaExceededRule(),
        new WorkerFailureRule(),
        new UploadStalledRule(),
        new ClonePermissionDeniedRule(),
        new ImagePullRule(),
        new NoDefaultStorageClassRule(),
        new MultipleDefaultStorageClassesRule(),
        new StorageClassMissingRule(),
        new PvcUnboundRule(),
        new ScratchStorageClassInvalidRule(),
        new WffcNoConsumerRule(),
        new VolumeMountFailedRule(),
        new VolumePermissionRiskRule(),
        new NetworkPolicyRule(),
        new PvResizeRule(),
        new NodeDiskPressureRule(),
        new KmemAccountingRule(),
        new CsiAttachmentNameRule(),
        new SnapshotIncompleteRule(),
    ];

    /// <param name="dataVolume">When given (<c>namespace/name</c>), only findings about that DataVolume and cluster-wide ones.</param>
    public static IReadOnlyList<Finding> Examine(ClusterSnapshot snapshot, string? dataVolume = null)
    {
        var index = new SnapshotIndex(snapshot);
        return [.. Rules.SelectMany(r => r.Check(index))
            .Where(f => dataVolume is null || f.DataVolume is null || f.DataVolume == dataVolume)
            .OrderBy(f => f.Severity)
            .ThenBy(f => f.Object.ToString(), StringComparer.Ordinal)
            .ThenBy(f => f.Id, StringComparer.Ordinal)];
    }
}
