using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Crds;

/// <summary>
/// Structural-schema handling for custom resources: unknown fields are pruned (unless
/// x-kubernetes-preserve-unknown-fields), and enum and basic type violations are refused with 422.
/// A subset of the apiextensions validation: no formats, patterns, CEL or numeric bounds.
/// </summary>
internal static class SchemaValidator
{
    public static void Validate(ResourceDefinition d, JsonObject obj, WriteOptions write)
    {
        var errors = new List<FieldError>();
        var unknown = new List<string>();
        foreach (var (field, value) in obj.ToList())
        {
            if (field is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }
            var props = d.Schema!["properties"] as JsonObject;
            if (props?[field] is JsonObject schema)
            {
                Walk(value, schema, field, errors, unknown);
            }
            else if (d.Schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() != true)
            {
                obj.Remove(field);
                unknown.Add(field);
            }
        }
        if (unknown.Count > 0 && write.FieldValidation == "Strict")
        {
            var fields = unknown.Count == 1 ? $"unknown field \"{unknown[0]}\"" : string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            throw ApiErrors.BadRequest($"{d.Kind} in version \"{ApiVersionOf(obj)}\" cannot be handled as a {d.Kind}: strict decoding error: {fields}");
        }
        if (write.FieldValidation == "Warn")
        {
            write.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(d, ObjectMeta.Name(obj), errors);
        }
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<FieldError> errors, List<string> unknown)
    {
        if (value is null)
        {
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            var quoted = string.Join(", ", allowed.Select(a => Serialization.JsonText.Of(a)));
            errors.Add(new FieldError(path, "FieldValueNotSupported", $"Unsupported value: {Serialization.JsonText.Of(value)}: supported values: {quoted}"));
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        switch (value)
        {
            case JsonObject o when type is null or "object":
                var props = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (k, v) in o.ToList())
                {
                    if (props?[k] is JsonObject child)
                    {
                        Walk(v, child, path + "." + k, errors, unknown);
                    }
                    else if (additional is not null)
                    {
                        Walk(v, additional, path + "." + k, errors, unknown);
                    }
                    else if (!preserve && props is not null)
                    {
                        o.Remove(k);
                        unknown.Add(path + "." + k);
                    }
                }
                break;
            case JsonArray a when type is null or "array":
                if (schema["items"] is JsonObject items)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        Walk(a[i], items, $"{path}[{i}]", errors, unknown);
                    }
                }
                break;
            case JsonValue v when !intOrString && type is not null && !Fits(v, type):
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"{TypeName(v)}\": {path} in body must be of type {type}: \"{TypeName(v)}\""));
                break;
            case JsonObject or JsonArray when type is "string" or "integer" or "number" or "boolean":
                errors.Add(new FieldError(path, "FieldValueTypeInvalid", $"Invalid value: \"{(value is JsonArray ? "array" : "object")}\": {path} in body must be of type {type}: \"{(value is JsonArray ? "array" : "object")}\""));
                break;
        }
    }

    private static string ApiVersionOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        return apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    private static bool Fits(JsonValue v, string type) => type switch
    {
        "string" => v.GetValueKind() == System.Text.Json.JsonValueKind.String,
        "integer" => v.GetValueKind() == System.Text.Json.JsonValueKind.Number && !v.ToJsonString().Contains('.', StringComparison.Ordinal),
        "number" => v.GetValueKind() == System.Text.Json.JsonValueKind.Number,
        "boolean" => v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
        "object" or "array" => false,
        _ => true,
    };

    private static string TypeName(JsonValue v) => v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.Number => "number",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
        _ => "null",
    };
}
