using System.Globalization;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Storage;

/// <summary>Reads and writes the <c>metadata</c> fields of an unstructured object.</summary>
internal static class ObjectMeta
{
    public static JsonObject Metadata(JsonObject o)
    {
        if (o["metadata"] is JsonObject m)
        {
            return m;
        }
        var created = new JsonObject();
        o["metadata"] = created;
        return created;
    }

    // Objects read here may come straight from a request: metadata of the wrong type reads as absent, never throws.
    private static JsonObject? Meta(JsonObject o) => o["metadata"] as JsonObject;

    public static string? Str(JsonObject o, string field) => Meta(o)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Name(JsonObject o) => Str(o, "name") ?? "";

    public static string Namespace(JsonObject o) => Str(o, "namespace") ?? "";

    public static string Uid(JsonObject o) => Str(o, "uid") ?? "";

    public static long ResourceVersion(JsonObject o) =>
        long.TryParse(Str(o, "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static void SetResourceVersion(JsonObject o, long rv) => Metadata(o)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON number as a long, whatever CLR type holds it (parsed documents and built nodes differ).</summary>
    public static long Long(JsonNode? n, long fallback = 0) =>
        n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)d : fallback;

    public static bool IsDeleting(JsonObject o) => Meta(o)?["deletionTimestamp"] is not null;

    public static IReadOnlyDictionary<string, string> Labels(JsonObject o) => StringMap(Meta(o)?["labels"]);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (k, v) in obj)
            {
                map[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }
        return map;
    }

    public static List<string> Finalizers(JsonObject o) =>
        Meta(o)?["finalizers"] is JsonArray a ? [.. a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")] : [];

    public static JsonArray OwnerReferences(JsonObject o) => Meta(o)?["ownerReferences"] as JsonArray ?? [];

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>Value at a dotted path such as <c>status.phase</c> or <c>metadata.name</c>, as a string.</summary>
    public static string? PathString(JsonObject o, string dottedPath)
    {
        JsonNode? node = o;
        foreach (var part in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonObject obj ? obj[part] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();
    }
}
