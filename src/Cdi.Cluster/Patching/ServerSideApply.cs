using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Patching;

/// <summary>
/// Server-side apply, simplified: each Apply manager's field set is kept in <c>metadata.managedFields</c>
/// (operation Apply, FieldsV1). Re-applying removes the fields that manager applied before and no longer does (unless
/// another Apply manager also applies them), then merges the configuration into the live object (strategic merge for
/// built-in kinds, JSON merge for custom resources). Not implemented: ownership of fields written by updates, conflict
/// detection (every apply behaves as <c>force=true</c>), and x-kubernetes-list-type map lists in custom resources.
/// </summary>
internal static class ServerSideApply
{
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, bool isCustom, DateTimeOffset now)
    {
        var configuration = (JsonObject)applied.DeepClone();
        ObjectMeta.Metadata(configuration).Remove("managedFields");
        var entries = live["metadata"]?["managedFields"] as JsonArray ?? [];
        var mine = entries.OfType<JsonObject>().FirstOrDefault(e => IsApplyBy(e, manager));
        var next = FieldSet.Of(configuration, keyedLists: !isCustom);
        var keep = entries.OfType<JsonObject>()
            .Where(e => !ReferenceEquals(e, mine) && e["operation"]?.ToString() == "Apply" && e["fieldsV1"] is JsonObject)
            .Aggregate(next, (acc, e) => FieldSet.Union(acc, (JsonObject)e["fieldsV1"]!));

        var result = (JsonObject)live.DeepClone();
        if (mine?["fieldsV1"] is JsonObject previous)
        {
            FieldSet.RemoveMissing(result, previous, keep);
        }
        result = (isCustom ? JsonMergePatch.Apply(result, configuration) : StrategicMergePatch.Apply(result, configuration)) as JsonObject ?? result;
        Record(result, manager, configuration["apiVersion"]?.ToString() ?? live["apiVersion"]?.ToString() ?? "", next, now);
        return result;
    }

    /// <summary>Sets (replaces) <paramref name="manager"/>'s Apply entry in the object's managedFields.</summary>
    public static void Record(JsonObject obj, string manager, string apiVersion, JsonObject fields, DateTimeOffset now)
    {
        var meta = ObjectMeta.Metadata(obj);
        var entries = meta["managedFields"] as JsonArray ?? [];
        foreach (var old in entries.OfType<JsonObject>().Where(e => IsApplyBy(e, manager)).ToList())
        {
            entries.Remove(old);
        }
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Apply",
            ["apiVersion"] = apiVersion,
            ["time"] = ObjectMeta.Timestamp(now),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = fields,
        });
        meta["managedFields"] = entries;
    }

    private static bool IsApplyBy(JsonObject entry, string manager) =>
        entry["manager"]?.ToString() == manager && entry["operation"]?.ToString() == "Apply";
}
