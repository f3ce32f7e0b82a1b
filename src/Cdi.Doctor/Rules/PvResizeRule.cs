using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 003: a claim was grown but the filesystem the pod sees was not: the claim asks for more than its status
/// reports, or the volume is waiting for a file system resize the node never does.
/// </summary>
public sealed class PvResizeRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var claim in index.Snapshot.Claims.Where(c => c.Status?.Phase == "Bound"))
        {
            var requested = Parse(claim.Spec?.Resources?.Requests?.GetValueOrDefault("storage"));
            var capacity = Parse(claim.Status?.Capacity?.GetValueOrDefault("storage"));
            var pending = claim.Status?.Conditions?.FirstOrDefault(c => c.Type == "FileSystemResizePending" && c.Status == "True");
            if (pending is null && (requested is null || capacity is null || requested <= capacity))
            {
                continue;
            }
            var ns = claim.Metadata.Namespace;
            List<string> evidence = [Evidence.Field("spec.resources.requests.storage", requested), Evidence.Field("status.capacity.storage", capacity)];
            if (pending is not null) evidence.Add($"condition FileSystemResizePending=True: {Evidence.OneLine(pending.Message)}");
            var pv = index.Volume(claim.Spec?.VolumeName);
            if (pv?.Spec?.Capacity?.GetValueOrDefault("storage") is { } pvSize) evidence.Add(Evidence.Field($"persistentvolume/{pv.Metadata.Name} capacity", pvSize));
            yield return new Finding
            {
                Id = FindingIds.PvResizeNotReflected,
                Severity = Severity.Warning,
                Object = new ObjectRef("PersistentVolumeClaim", ns, claim.Metadata.Name!),
                Summary = $"claim {claim.Metadata.Name} was resized to {requested} but its file system still offers {capacity}",
                Evidence = evidence,
                Remedy = "restart the pod that mounts it so the node grows the file system; if it stays, the CSI node plugin does not rescan "
                    + "resized devices (cinder: rescan-on-resize=true under [BlockStorage] in its cloud config, then restart the plugin)",
                DataVolume = index.DataVolumeOf(ns, claim.Metadata.Name),
            };
        }
    }

    private static Quantity? Parse(string? s) => Quantity.TryParse(s, out var q) ? q : null;
}
