using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Api.DataVolumes.Validation;
using Cdi.Api.Upload;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Validation;
using FieldError = Cdi.Cluster.ApiServer.FieldError;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The local cluster's stand-in for CDI's validating webhook: reads the stored JSON as a typed DataVolume and asks
/// <see cref="DataVolumeValidator"/> as one step of the admission chain; a refusal is a 422 Invalid whose causes name the fields.
/// A clone of a claim in another namespace also needs the requester's permission there, as upstream's webhook asks a
/// SubjectAccessReview: <c>create</c> on <c>datavolumes/source</c> (or, as upstream also accepts, <c>create pods</c>);
/// once admitted, such a DataVolume is stamped with a clone token (<see cref="CloneTokens"/>) that the controller
/// requires. The token annotation is admission's alone: one sent on a create is dropped, an update keeps the stored one.
/// </summary>
/// <param name="cloneSigner">Signs clone tokens (the cluster's token key); null: no DataVolume gets one.</param>
internal sealed class DataVolumeAdmission(IAuthorizer authorizer, ECDsa? cloneSigner, TimeProvider clock) : IAdmissionValidator, IAdmissionStamp
{
    public AdmissionStage Stage => AdmissionStage.ValidatingAdmission;

    public const string GroupResource = "datavolumes." + DataVolume.Group;

    public IReadOnlyList<FieldError> Validate(AdmissionRequest request) =>
        new TypedAdmission<DataVolume>(GroupResource, "DataVolume", ApiJsonContext.Default.DataVolume, ValidateTyped).Validate(request);

    private List<FieldError> ValidateTyped(DataVolume dv, DataVolume? old, AdmissionRequest request)
    {
        var errors = TypedAdmission<DataVolume>.Causes(DataVolumeValidator.Validate(dv, old)).ToList();
        if (errors.Count == 0 && request.Operation == AdmissionOperation.Create && CrossNamespaceSource(dv) is { } source
            && Refusal(request.User, source.Namespace, source.Name) is { } refusal)
        {
            errors.Add(refusal);
        }
        return errors;
    }

    public void Stamp(AdmissionRequest request)
    {
        if (!string.Equals(request.Definition.GroupResource, GroupResource, StringComparison.Ordinal) || request.Subresource is not null)
        {
            return;
        }
        var annotations = request.Object["metadata"] is JsonObject meta ? meta["annotations"] as JsonObject : null;
        if (request.Operation != AdmissionOperation.Create)
        {
            // Only admission says who may clone: an update keeps the token as stored.
            var stored = request.OldObject?["metadata"]?["annotations"]?[CloneTokens.Annotation]?.DeepClone();
            if (stored is not null)
            {
                Annotations(request.Object)[CloneTokens.Annotation] = stored;
            }
            else
            {
                annotations?.Remove(CloneTokens.Annotation);
            }
            return;
        }
        annotations?.Remove(CloneTokens.Annotation);
        if (cloneSigner is null || Read(request.Object, out var dv) is not null || CrossNamespaceSource(dv!) is not { } source)
        {
            return;
        }
        // Validation ran first: this requester may clone from the source namespace.
        Annotations(request.Object)[CloneTokens.Annotation] = CloneTokens.Issue(cloneSigner, source.Namespace, source.Name,
            dv!.Metadata.Namespace!, dv.Metadata.Name!, clock.GetUtcNow());
    }

    /// <summary>The source claim when the DataVolume clones one from another namespace.</summary>
    private static (string Namespace, string Name)? CrossNamespaceSource(DataVolume dv) =>
        dv.Spec.Source?.Pvc is { } pvc && !string.IsNullOrEmpty(pvc.Namespace) && pvc.Namespace != dv.Metadata.Namespace
            ? (pvc.Namespace, pvc.Name)
            : null;

    private FieldError? Refusal(UserInfo user, string sourceNamespace, string sourceName)
    {
        var source = authorizer.Authorize(user, new ResourceAttributes("create", DataVolume.Group, "datavolumes", "source", sourceNamespace, sourceName));
        if (source.Allowed || authorizer.Authorize(user, new ResourceAttributes("create", "", "pods", null, sourceNamespace, null)).Allowed)
        {
            return null;
        }
        return new FieldError("spec.source.pvc", "Forbidden",
            $"Forbidden: user \"{user.Name}\" may not clone claim {sourceNamespace}/{sourceName}: cloning from namespace {sourceNamespace} needs create on datavolumes/source (group {DataVolume.Group}) there ({source.Reason})");
    }

    private static JsonObject Annotations(JsonObject obj)
    {
        var meta = ObjectMeta.Metadata(obj);
        if (meta["annotations"] is not JsonObject annotations)
        {
            meta["annotations"] = annotations = [];
        }
        return annotations;
    }

    private static FieldError? Read(JsonObject obj, out DataVolume? dv) =>
        TypedObjectReader.Read(obj, ApiJsonContext.Default.DataVolume, "DataVolume", out dv);
}
