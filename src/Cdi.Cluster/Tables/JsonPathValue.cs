using System.Globalization;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Tables;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0].b</c>, <c>.a[*].b</c> (values joined with commas)
/// and <c>.conditions[?(@.type=="Ready")].status</c>.
/// </summary>
internal static class JsonPathValue
{
    public static JsonNode? Evaluate(JsonObject obj, string path)
    {
        var nodes = new List<JsonNode?> { obj };
        foreach (var step in Steps(path.Trim().TrimStart('{').TrimEnd('}')))
        {
            nodes = [.. nodes.SelectMany(n => Apply(n, step))];
        }
        var found = nodes.Where(n => n is not null).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0]!.DeepClone(),
            _ => JsonValue.Create(string.Join(",", found.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n!.ToJsonString()))),
        };
    }

    private static IEnumerable<string> Steps(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }
            if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length - 1 : end;
                yield return path[i..(end + 1)];
                i = end + 1;
                continue;
            }
            var next = path.IndexOfAny(['.', '['], i);
            next = next < 0 ? path.Length : next;
            yield return path[i..next];
            i = next;
        }
    }

    private static IEnumerable<JsonNode?> Apply(JsonNode? node, string step)
    {
        if (!step.StartsWith('['))
        {
            if (node is JsonObject o)
            {
                yield return o[step];
            }
            yield break;
        }
        if (node is not JsonArray a)
        {
            yield break;
        }
        var inner = step[1..^1];
        if (inner == "*")
        {
            foreach (var item in a)
            {
                yield return item;
            }
        }
        else if (inner.StartsWith("?(@.", StringComparison.Ordinal))
        {
            var expr = inner[4..^1];
            var eq = expr.IndexOf("==", StringComparison.Ordinal);
            if (eq < 0)
            {
                yield break;
            }
            var field = expr[..eq].Trim();
            var value = expr[(eq + 2)..].Trim().Trim('"', '\'');
            foreach (var item in a.OfType<JsonObject>())
            {
                if (item[field]?.ToString() == value)
                {
                    yield return item;
                }
            }
        }
        else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            index = index < 0 ? a.Count + index : index;
            if (index >= 0 && index < a.Count)
            {
                yield return a[index];
            }
        }
    }
}
