using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FieldError = Cdi.Cluster.ApiServer.FieldError;

namespace Cdi.Cluster.Admission;

/// <summary>Stored JSON as the typed object an admission step judges, or the field error saying why it is not one.</summary>
internal static class TypedObjectReader
{
    public static FieldError? Read<T>(JsonObject json, JsonTypeInfo<T> type, string kind, out T? obj) where T : class
    {
        try
        {
            obj = json.Deserialize(type);
            return obj is null ? new FieldError("", "FieldValueInvalid", $"not a {kind} object") : null;
        }
        catch (JsonException e)
        {
            obj = null;
            var field = e.Path is { Length: > 2 } path ? path[2..] : "";
            return new FieldError(field, "FieldValueInvalid", $"Invalid value: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
