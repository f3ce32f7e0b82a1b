using System.Text.Json.Nodes;

namespace Cdi.Cli.Tests;

/// <summary>
/// Kubernetes' structural-schema rule for CRDs (apiextensions/v1 requires it): every node states a type, except where
/// x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields says the shape is open; properties and
/// additionalProperties are not combined.
/// </summary>
internal static class StructuralSchema
{
    public static List<string> Violations(JsonObject schema, string path)
    {
        var found = new List<string>();
        Walk(schema, path, found);
        return found;
    }

    private static void Walk(JsonObject node, string path, List<string> found)
    {
        var open = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true || node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (node["type"] is null && !open)
        {
            found.Add($"{path}: no type");
        }
        if (node["properties"] is JsonObject && node["additionalProperties"] is JsonObject)
        {
            found.Add($"{path}: properties and additionalProperties together");
        }
        foreach (var (name, child) in node["properties"] as JsonObject ?? [])
        {
            Walk(child!.AsObject(), $"{path}.properties.{name}", found);
        }
        if (node["items"] is JsonObject items)
        {
            Walk(items, path + ".items", found);
        }
        if (node["additionalProperties"] is JsonObject additional)
        {
            Walk(additional, path + ".additionalProperties", found);
        }
    }
}
