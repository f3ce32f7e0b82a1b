using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// Reading a field of an unstructured object the way a typed decoder would: absent is fine, the wrong JSON type is a
/// field error (so no later reader meets a number where it expects a string).
/// </summary>
internal static class JsonFields
{
    /// <summary>The string at <paramref name="name"/>; null when absent or (with an error added) not a string.</summary>
    public static string? String(JsonObject o, string name, string path, List<FieldError> errors)
    {
        var node = o[name];
        if (node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }
        errors.Add(FieldErrors.WrongType(path, node, "a string"));
        return null;
    }

    public static JsonObject? Object(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null or JsonObject)
        {
            return node as JsonObject;
        }
        errors.Add(FieldErrors.WrongType(path, node, "an object"));
        return null;
    }

    /// <summary>The items of a list of objects; other items are reported and skipped (their index is kept).</summary>
    public static IReadOnlyList<(int Index, JsonObject Item)> Objects(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray array)
        {
            errors.Add(FieldErrors.WrongType(path, node, "a list"));
            return [];
        }
        var items = new List<(int, JsonObject)>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonObject item)
            {
                items.Add((i, item));
            }
            else
            {
                errors.Add(FieldErrors.WrongType($"{path}[{i}]", array[i], "an object"));
            }
        }
        return items;
    }

    /// <summary>A map of strings (labels, annotations); entries that are not strings are reported and skipped.</summary>
    public static IReadOnlyList<(string Key, string Value)> StringMap(JsonNode? node, string path, List<FieldError> errors)
    {
        if (Object(node, path, errors) is not { } map)
        {
            return [];
        }
        var entries = new List<(string, string)>();
        foreach (var (k, v) in map)
        {
            if (v is JsonValue jv && jv.TryGetValue<string>(out var s))
            {
                entries.Add((k, s));
            }
            else
            {
                errors.Add(FieldErrors.WrongType($"{path}[{k}]", v, "a string"));
            }
        }
        return entries;
    }

    public static bool IsBoolOrAbsent(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False);
}
