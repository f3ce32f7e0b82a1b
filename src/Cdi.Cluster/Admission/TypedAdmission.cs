using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Cdi.Cluster.Validation;
using FieldError = Cdi.Cluster.ApiServer.FieldError;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The local cluster's stand-in for CDI's validating webhooks: reads the stored JSON as the typed object and asks a
/// pure validator (the one a real cluster's webhook serves) as one step of the admission chain; a refusal is a 422
/// Invalid whose causes name the fields. Status writes are not judged. <paramref name="validate"/> gets the new object,
/// the stored one on an update, and the request (who asks, for checks that depend on the requester).
/// </summary>
internal sealed class TypedAdmission<T>(string groupResource, string kind, JsonTypeInfo<T> type, Func<T, T?, AdmissionRequest, IEnumerable<FieldError>> validate)
    : IAdmissionValidator where T : class
{
    public AdmissionStage Stage => AdmissionStage.ValidatingAdmission;

    public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
    {
        if (!string.Equals(request.Definition.GroupResource, groupResource, StringComparison.Ordinal)
            || string.Equals(request.Subresource, "status", StringComparison.Ordinal))
        {
            return [];
        }
        if (Read(request.Object, out var obj) is { } unreadable)
        {
            return [unreadable];
        }
        T? old = null;
        if (request.OldObject is { } stored && Read(stored, out old) is { } unreadableOld)
        {
            return [unreadableOld];
        }
        return [.. validate(obj!, old, request)];
    }

    /// <summary>A pure validator's causes as the API server reports them.</summary>
    public static IEnumerable<FieldError> Causes(IEnumerable<Api.DataVolumes.Validation.FieldError> errors) =>
        errors.Select(e => new FieldError(e.Field, e.Type.ToString(), e.Message));

    private FieldError? Read(JsonObject json, out T? obj) => TypedObjectReader.Read(json, type, kind, out obj);
}
