using System.Text.Json.Nodes;

namespace Cdi.Doctor.Analysis;

/// <summary>Kubernetes label selector semantics over a raw selector object: matchLabels and matchExpressions, empty selects all.</summary>
public static class LabelSelectorMatch
{
    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is not JsonObject s) return true;
        foreach (var (key, value) in s["matchLabels"] as JsonObject ?? [])
        {
            if (labels.GetValueOrDefault(key) != value?.GetValue<string>()) return false;
        }
        foreach (var expression in (s["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.GetValue<string>() ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).ToList();
            var has = labels.TryGetValue(key, out var actual);
            var ok = expression["operator"]?.GetValue<string>() switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }
}
