using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Api.DataVolumes.Validation;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Validation;
using FieldError = Cdi.Cluster.ApiServer.FieldError;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The local cluster's stand-in for CDI's validating webhook: reads the stored JSON as a typed DataVolume and asks
/// <see cref="DataVolumeValidator"/> as one step of the admission chain; a refusal is a 422 Invalid whose causes name the fields.
/// </summary>
internal sealed class DataVolumeAdmission : IAdmissionValidator
{
    public AdmissionStage Stage => AdmissionStage.ValidatingAdmission;

    public const string GroupResource = "datavolumes." + DataVolume.Group;

    public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
    {
        if (!string.Equals(request.Definition.GroupResource, GroupResource, StringComparison.Ordinal)
            || string.Equals(request.Subresource, "status", StringComparison.Ordinal))
        {
            return [];
        }
        if (Read(request.Object, out var dv) is { } unreadable)
        {
            return [unreadable];
        }
        DataVolume? old = null;
        if (request.OldObject is { } stored && Read(stored, out old) is { } unreadableOld)
        {
            return [unreadableOld];
        }
        return [.. DataVolumeValidator.Validate(dv!, old).Select(e => new FieldError(e.Field, e.Type.ToString(), e.Message))];
    }

    /// <summary>The object as a typed DataVolume, or the field error saying why it is not one.</summary>
    private static FieldError? Read(JsonObject obj, out DataVolume? dv)
    {
        try
        {
            dv = obj.Deserialize(ApiJsonContext.Default.DataVolume);
            return dv is null ? new FieldError("", "FieldValueInvalid", "not a DataVolume object") : null;
        }
        catch (JsonException e)
        {
            dv = null;
            var field = e.Path is { Length: > 2 } path ? path[2..] : "";
            return new FieldError(field, "FieldValueInvalid", $"Invalid value: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
