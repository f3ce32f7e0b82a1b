using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// Field errors in kube-apiserver's words (k8s.io/apimachinery/pkg/util/validation/field): the cause reason, and the
/// detail kubectl prints after the field path, such as <c>Invalid value: "../x": a lowercase RFC 1123 ...</c>.
/// </summary>
internal static class FieldErrors
{
    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {GoQuoted.Of(value)}: {detail}");

    /// <summary>An invalid value that is not a string (a list, a number): shown as JSON, as Go shows its structs.</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {Shown(value)}: {detail}");

    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Duplicate(string field, string value) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {GoQuoted.Of(value)}");

    public static FieldError NotFound(string field, string value) =>
        new(field, "FieldValueNotFound", $"Not found: {GoQuoted.Of(value)}");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public static FieldError TooLong(string field, int maxBytes) =>
        new(field, "FieldValueTooLong", $"Too long: may not be more than {maxBytes} bytes");

    /// <summary>A field of the wrong JSON type (a number where a string belongs); Kubernetes' CRD validation calls this TypeInvalid.</summary>
    public static FieldError WrongType(string field, JsonNode? value, string expected) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {Shown(value)}: must be {expected}");

    private static string Shown(JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return GoQuoted.Of(s);
        }
        var json = value?.ToJsonString() ?? "null";
        // A huge value would make the error itself huge.
        return json.Length > 256 ? json[..256] + "..." : json;
    }
}
