using System.Text.Json.Nodes;

namespace Cdi.Cluster.Crds;

/// <summary>
/// A CRD is established as soon as it is stored (there is no separate controller here), so <c>kubectl wait
/// --for=condition=established</c> succeeds at once.
/// </summary>
internal static class CrdStatus
{
    public static void Accept(JsonObject crd)
    {
        CrdReader.Read(crd);
        var spec = crd["spec"]!;
        var storage = (spec["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>() ?? "v1";
        var time = crd["metadata"]?["creationTimestamp"]?.DeepClone();
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = spec["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time?.DeepClone())),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, JsonNode? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };
}
