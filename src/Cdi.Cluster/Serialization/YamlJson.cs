using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Cdi.Cluster.Serialization;

/// <summary>
/// YAML to JSON nodes (embedded CRDs, server-side apply bodies). Plain scalars follow YAML 1.2's core schema:
/// true/false, null, integers and floats; quoted scalars stay strings. Request bodies are hostile: nesting is bounded
/// as JSON's is (64), and aliases may not expand a document beyond a few times its own size.
/// </summary>
internal static class YamlJson
{
    public const int MaxDepth = 64;

    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        CheckDepth(yaml);
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var budget = Math.Max(10_000, yaml.Length);
        return [.. stream.Documents.Select(d => Convert(d.RootNode, 0, ref budget))];
    }

    /// <summary>Loading a document recurses once per level: measure the nesting first, with the (iterative) parser.</summary>
    private static void CheckDepth(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw new YamlException($"the document is nested deeper than {MaxDepth} levels");
                    }
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    public static JsonNode? Parse(string yaml) => ParseAll(yaml) is { Count: > 0 } all ? all[0] : null;

    private static JsonNode? Convert(YamlNode node, int depth, ref int budget)
    {
        if (--budget < 0 || depth > MaxDepth)
        {
            throw new YamlException("the document expands too much (YAML aliases)");
        }
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : throw new YamlException(k.Start, k.End, "mapping keys must be scalars");
                    obj[key] = Convert(v, depth + 1, ref budget);
                }
                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(Convert(item, depth + 1, ref budget));
                }
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? "";
        if (s.Style is YamlDotNet.Core.ScalarStyle.Plain)
        {
            switch (text)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return null;
                case "true" or "True" or "TRUE":
                    return JsonValue.Create(true);
                case "false" or "False" or "FALSE":
                    return JsonValue.Create(false);
            }
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) && !text.Contains(':', StringComparison.Ordinal))
            {
                return JsonValue.Create(d);
            }
        }
        return JsonValue.Create(text);
    }
}
