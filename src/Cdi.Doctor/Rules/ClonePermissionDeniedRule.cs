using Cdi.Api.Upload;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// A clone from another namespace that the requester may not make. Admission refuses it, so usually no DataVolume
/// exists: the refusal shows where whatever tried to create it (a VM controller, a GitOps tool) recorded it as a
/// Warning event. A DataVolume that got past admission without a valid clone token is failed by the controller.
/// </summary>
public sealed class ClonePermissionDeniedRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes.Where(CloneRefusal.TokenRefused))
        {
            var pvc = dv.DataVolume.Spec.Source?.Pvc;
            var sourceNamespace = pvc?.Namespace ?? "SOURCE_NAMESPACE";
            List<string> evidence = [Evidence.Of(dv.Condition("Running")!),
                Evidence.Field("spec.source.pvc", $"{sourceNamespace}/{pvc?.Name}"),
                Evidence.Field($"metadata.annotations[{CloneTokens.Annotation}]",
                    dv.DataVolume.Metadata.Annotations?.ContainsKey(CloneTokens.Annotation) == true ? "present" : "absent")];
            yield return new Finding
            {
                Id = FindingIds.ClonePermissionDenied,
                Severity = Severity.Error,
                Object = dv.Ref,
                Summary = $"the clone from namespace {sourceNamespace} was not authorized: the DataVolume has no valid clone token",
                Evidence = evidence,
                Remedy = $"let its creator clone from {sourceNamespace} (USER: who creates the DataVolume): {CloneRefusal.Grant(sourceNamespace, null)}; "
                    + $"then, as that user, {Remedies.Recreate(dv)} (admission stamps a fresh token)",
                DataVolume = dv.Key,
            };
        }
        var seen = new HashSet<ObjectRef>();
        foreach (var e in index.Snapshot.Events.Where(e => e.Type == "Warning")
            .OrderByDescending(e => e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp))
        {
            if (CloneRefusal.FromAdmissionMessage(e.Message) is not { } refusal)
            {
                continue;
            }
            var ns = e.InvolvedObject.Namespace ?? e.Metadata.Namespace;
            var obj = new ObjectRef(e.InvolvedObject.Kind ?? "Object", ns, e.InvolvedObject.Name ?? "");
            if (!seen.Add(obj))
            {
                continue;
            }
            var source = refusal.SourceNamespace ?? "SOURCE_NAMESPACE";
            var claim = refusal.SourceClaim is null ? "a claim" : $"claim {source}/{refusal.SourceClaim}";
            yield return new Finding
            {
                Id = FindingIds.ClonePermissionDenied,
                Severity = Severity.Error,
                Object = obj,
                Summary = $"{(refusal.User is null ? "the requester" : $"user {refusal.User}")} may not clone {claim}: "
                    + $"it lacks create on datavolumes/source in namespace {source}",
                Evidence = [Evidence.Of(e)],
                Remedy = $"grant it in {source}: {CloneRefusal.Grant(source, refusal.User)}; then create the DataVolume again",
                DataVolume = obj.Kind == "DataVolume" ? $"{ns}/{obj.Name}" : null,
            };
        }
    }
}
