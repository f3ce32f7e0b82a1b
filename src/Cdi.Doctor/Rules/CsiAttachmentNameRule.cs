using System.Text.Json;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 004: Kubernetes before 1.24 (kubernetes/kubernetes#107025) took any 68-character name starting with
/// <c>csi-</c> for a VolumeAttachment name. A CSI volume whose unique name (<c>driver^volumeHandle</c>) has that shape
/// is detached under the wrong name: its VolumeAttachment is never deleted, the PV will not go, and pods that need
/// the volume on another node stay in ContainerCreating.
/// </summary>
public sealed class CsiAttachmentNameRule : IDoctorRule
{
    public const int AttachmentNameLength = 68;
    public static readonly Version FixedIn = new(1, 24);

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        var version = ParseVersion(index.Snapshot.ServerVersion);
        if (version is not null && version >= FixedIn)
        {
            yield break;
        }
        foreach (var pv in index.Snapshot.PersistentVolumes)
        {
            if (pv.Spec?.ExtensionData?.GetValueOrDefault("csi") is not { ValueKind: JsonValueKind.Object } csi
                || !csi.TryGetProperty("driver", out var d) || !csi.TryGetProperty("volumeHandle", out var h))
            {
                continue;
            }
            var unique = $"{d.GetString()}^{h.GetString()}";
            if (unique.Length != AttachmentNameLength || !unique.StartsWith("csi-", StringComparison.Ordinal))
            {
                continue;
            }
            var name = pv.Metadata.Name!;
            List<string> symptoms = [];
            if (pv.Metadata.DeletionTimestamp is { } deleting) symptoms.Add(Evidence.Field($"persistentvolume/{name} deletionTimestamp", deleting.ToString("u")));
            symptoms.AddRange(index.Snapshot.VolumeAttachments.Where(a => a.Spec?.Source.PersistentVolumeName == name)
                .Select(a => Evidence.Field($"volumeattachment/{a.Metadata.Name}", $"node {a.Spec?.NodeName}")));
            if (pv.Spec.ClaimRef is { } claimRef)
            {
                symptoms.AddRange(index.PodsUsing(claimRef.Namespace, claimRef.Name ?? "")
                    .Where(p => p.Status?.ContainerStatuses?.Any(c => c.State?.Waiting?.Reason == "ContainerCreating") == true || p.Status?.Phase == "Pending")
                    .Select(p => Evidence.Field($"pod/{p.Metadata.Namespace}/{p.Metadata.Name}", "stuck in ContainerCreating")));
            }
            yield return new Finding
            {
                Id = FindingIds.CsiAttachmentNameCollision,
                // Only a risk until something is stuck on it.
                Severity = symptoms.Any(s => !s.StartsWith("volumeattachment/", StringComparison.Ordinal)) ? Severity.Error : Severity.Warning,
                Object = new ObjectRef("PersistentVolume", null, name),
                Summary = $"CSI unique name {unique} is {AttachmentNameLength} characters starting with csi-: "
                    + $"Kubernetes {index.Snapshot.ServerVersion ?? "(version unknown)"} mistakes it for a VolumeAttachment name on detach",
                Evidence = [Evidence.Field("spec.csi.driver^volumeHandle", unique), Evidence.Field("server version", index.Snapshot.ServerVersion ?? "unknown"), .. symptoms],
                Remedy = $"upgrade Kubernetes to 1.24 or later; meanwhile give the provisioner a longer --volume-name-prefix so handles are not {AttachmentNameLength} "
                    + $"characters long; to free this PV: kubectl delete volumeattachment $(kubectl get volumeattachment -o "
                    + $"jsonpath='{{.items[?(@.spec.source.persistentVolumeName==\"{name}\")].metadata.name}}')",
            };
        }
    }

    /// <summary><c>v1.23.4-gke.100</c> → 1.23.</summary>
    public static Version? ParseVersion(string? gitVersion)
    {
        var parts = (gitVersion ?? "").TrimStart('v').Split('.', '-', '+');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor) ? new Version(major, minor) : null;
    }
}
