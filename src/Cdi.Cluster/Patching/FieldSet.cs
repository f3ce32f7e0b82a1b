using System.Text.Json.Nodes;
using Cdi.Cluster.Serialization;

namespace Cdi.Cluster.Patching;

/// <summary>
/// The set of fields an applied configuration sets, in managedFields' FieldsV1 shape: <c>f:name</c> for object
/// fields, <c>k:{"name":"c"}</c> for elements of lists merged by key, <c>v:"x"</c> for set-like scalar lists, and
/// <c>"."</c> marking a list element itself. Server-side apply uses it to remove what a manager stopped applying.
/// </summary>
internal static class FieldSet
{
    // Fields the server owns: never tracked, never removed.
    private static readonly HashSet<string> ServerMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName",
    };

    /// <param name="keyedLists">Lists merge by key (built-in kinds, strategic merge); otherwise every list is atomic.</param>
    public static JsonObject Of(JsonObject applied, bool keyedLists)
    {
        var set = new JsonObject();
        foreach (var (key, value) in applied)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject meta)
            {
                var m = new JsonObject();
                foreach (var (mk, mv) in meta.Where(p => !ServerMetadata.Contains(p.Key)))
                {
                    m["f:" + mk] = Node(mk, mv, keyedLists);
                }
                if (m.Count > 0)
                {
                    set["f:metadata"] = m;
                }
                continue;
            }
            set["f:" + key] = Node(key, value, keyedLists);
        }
        return set;
    }

    /// <summary>Deep union (what any of several managers owns).</summary>
    public static JsonObject Union(JsonObject a, JsonObject b)
    {
        var result = (JsonObject)a.DeepClone();
        foreach (var (k, v) in b)
        {
            result[k] = result[k] is JsonObject existing && v is JsonObject more ? Union(existing, more) : v?.DeepClone();
        }
        return result;
    }

    /// <summary>Removes from <paramref name="live"/> what <paramref name="previous"/> has and <paramref name="next"/> lacks.</summary>
    public static void RemoveMissing(JsonNode? live, JsonObject previous, JsonObject next)
    {
        foreach (var (key, prevChild) in previous)
        {
            if (key == ".")
            {
                continue;
            }
            var nextChild = next[key] as JsonObject;
            if (key.StartsWith("f:", StringComparison.Ordinal) && live is JsonObject obj)
            {
                var name = key[2..];
                if (nextChild is null)
                {
                    obj.Remove(name);
                }
                else if (prevChild is JsonObject { Count: > 0 } p)
                {
                    RemoveMissing(obj[name], p, nextChild);
                }
            }
            else if (key.StartsWith("k:", StringComparison.Ordinal) && live is JsonArray keyed && Parsed(key[2..]) is JsonObject id)
            {
                var element = keyed.OfType<JsonObject>().FirstOrDefault(e => id.All(f => JsonNode.DeepEquals(e[f.Key], f.Value)));
                if (element is null)
                {
                    continue;
                }
                if (nextChild is null)
                {
                    keyed.Remove(element);
                }
                else if (prevChild is JsonObject p)
                {
                    RemoveMissing(element, p, nextChild);
                }
            }
            else if (key.StartsWith("v:", StringComparison.Ordinal) && live is JsonArray values && nextChild is null && Parsed(key[2..]) is { } value)
            {
                foreach (var item in values.Where(v => JsonNode.DeepEquals(v, value)).ToList())
                {
                    values.Remove(item);
                }
            }
        }
    }

    /// <summary>The JSON in a "k:" or "v:" key; managedFields may have come from a client, so a malformed key matches nothing.</summary>
    private static JsonNode? Parsed(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static JsonObject Node(string field, JsonNode? value, bool keyedLists)
    {
        switch (value)
        {
            case JsonObject o:
                var nested = new JsonObject();
                foreach (var (k, v) in o)
                {
                    nested["f:" + k] = Node(k, v, keyedLists);
                }
                return nested;
            case JsonArray a when keyedLists && PatchMergeKeys.IsScalarSet(field):
                var values = new JsonObject();
                foreach (var item in a)
                {
                    values["v:" + JsonText.Of(item)] = new JsonObject();
                }
                return values;
            case JsonArray a when keyedLists && PatchMergeKeys.KeyFor(field, null, a) is { } mergeKey:
                var elements = new JsonObject();
                foreach (var item in a.OfType<JsonObject>())
                {
                    var id = new JsonObject { [mergeKey] = item[mergeKey]?.DeepClone() };
                    var element = Node(field + "[]", item, keyedLists);
                    element["."] = new JsonObject();
                    elements["k:" + JsonText.Of(id)] = element;
                }
                return elements;
            default:
                return [];
        }
    }
}
