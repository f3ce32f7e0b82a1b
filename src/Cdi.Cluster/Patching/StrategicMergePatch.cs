using System.Text.Json.Nodes;

namespace Cdi.Cluster.Patching;

/// <summary>
/// Enough of the strategic merge patch for <c>kubectl apply/edit/label/annotate/scale</c> on core kinds: lists with a
/// merge key merge element by element, <c>$patch: delete|replace</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/</c>; <c>$setElementOrder/</c> is accepted and ignored (order is not kept).
/// </summary>
internal static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch) => patch is JsonObject p
        ? MergeObject(original as JsonObject, p)
        : patch?.DeepClone();

    private static JsonObject? MergeObject(JsonObject? original, JsonObject patch)
    {
        var directive = Directive(patch);
        if (directive == "delete")
        {
            return null;
        }
        if (directive == "replace")
        {
            return WithoutDirectives(patch);
        }
        var result = original is null ? [] : (JsonObject)original.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$'))
            {
                if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) && value is JsonArray remove)
                {
                    var field = key["$deleteFromPrimitiveList/".Length..];
                    if (result[field] is JsonArray list)
                    {
                        foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                        {
                            list.Remove(item);
                        }
                    }
                }
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var merged = value switch
            {
                JsonObject o => MergeObject(result[key] as JsonObject, o),
                JsonArray a => MergeList(key, result[key] as JsonArray, a),
                _ => value.DeepClone(),
            };
            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToHashSet(StringComparer.Ordinal);
            foreach (var k in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(k);
            }
        }
        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? original, JsonArray patch)
    {
        if (PatchMergeKeys.IsScalarSet(field))
        {
            var set = original is null ? [] : (JsonArray)original.DeepClone();
            foreach (var item in patch.Where(i => !set.Any(s => JsonNode.DeepEquals(s, i))))
            {
                set.Add(item?.DeepClone());
            }
            return set;
        }
        var mergeKey = PatchMergeKeys.KeyFor(field, original, patch);
        if (mergeKey is null || original is null)
        {
            return [.. patch.Where(i => i is not JsonObject o || o["$patch"] is null).Select(i => i is JsonObject o ? WithoutDirectives(o) : i?.DeepClone())];
        }
        var result = (JsonArray)original.DeepClone();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var id = item[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], id));
            var directive = Directive(item);
            if (directive == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
                continue;
            }
            if (existing is null)
            {
                result.Add(WithoutDirectives(item));
                continue;
            }
            var index = result.IndexOf(existing);
            result[index] = MergeObject(existing, item);
        }
        return result;
    }

    /// <summary>The <c>$patch</c> directive: delete, replace, merge or none; anything else is a bad request.</summary>
    private static string? Directive(JsonObject o) => o["$patch"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var d) && d is "delete" or "replace" or "merge" => d,
        var other => throw ApiServer.ApiErrors.BadRequest($"unknown patch type: {other.ToJsonString()}"),
    };

    private static JsonObject WithoutDirectives(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            if (!k.StartsWith('$'))
            {
                copy[k] = v?.DeepClone();
            }
        }
        return copy;
    }
}
