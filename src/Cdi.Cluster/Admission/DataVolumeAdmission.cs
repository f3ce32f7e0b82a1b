using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Api.DataVolumes.Validation;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The local cluster's stand-in for CDI's validating webhook: reads the stored JSON as a typed DataVolume and asks
/// <see cref="DataVolumeValidator"/>; a refusal is a 422 Invalid whose causes name the fields.
/// </summary>
internal static class DataVolumeAdmission
{
    public const string GroupResource = "datavolumes." + DataVolume.Group;

    public static void Admit(ResourceDefinition d, JsonObject obj, JsonObject? old)
    {
        if (!string.Equals(d.GroupResource, GroupResource, StringComparison.Ordinal))
        {
            return;
        }
        var name = ObjectMeta.Name(obj);
        var errors = DataVolumeValidator.Validate(Read(d, name, obj), old is null ? null : Read(d, name, old));
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(d, name, [.. errors.Select(e => new ApiServer.FieldError(e.Field, e.Type.ToString(), e.Message))]);
        }
    }

    private static DataVolume Read(ResourceDefinition d, string name, JsonObject obj)
    {
        try
        {
            return obj.Deserialize(ApiJsonContext.Default.DataVolume)
                ?? throw ApiErrors.Invalid(d, name, [new ApiServer.FieldError("", "FieldValueInvalid", "not a DataVolume object")]);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..] : "";
            throw ApiErrors.Invalid(d, name, [new ApiServer.FieldError(field, "FieldValueInvalid", $"Invalid value: {e.Message.ReplaceLineEndings(" ")}")]);
        }
    }
}
