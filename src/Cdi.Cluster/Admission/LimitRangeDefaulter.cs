using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The LimitRanger admission plugin's defaulting: a container without a limit (request) gets the namespace's
/// LimitRange <c>type: Container</c> <c>default</c> (<c>defaultRequest</c>); then, as the API's own defaulting does,
/// a request missing where a limit is set takes the limit's value.
/// </summary>
internal static class LimitRangeDefaulter
{
    public static void Apply(ObjectStore store, JsonObject pod)
    {
        var ranges = store.List("limitranges", ObjectMeta.Namespace(pod)).Items;
        foreach (var c in PodDefaults.Containers(pod))
        {
            var resources = c["resources"] as JsonObject ?? [];
            c["resources"] = resources;
            foreach (var range in ranges)
            {
                foreach (var limit in (range["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    if (!string.Equals(limit["type"]?.GetValue<string>(), "Container", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    Fill(resources, "limits", limit["default"] as JsonObject);
                    Fill(resources, "requests", limit["defaultRequest"] as JsonObject);
                }
            }
            if (resources["limits"] is JsonObject limits)
            {
                var requests = resources["requests"] as JsonObject ?? [];
                foreach (var (k, v) in limits)
                {
                    if (requests[k] is null)
                    {
                        requests[k] = v?.DeepClone();
                    }
                }
                resources["requests"] = requests;
            }
            if (resources.Count == 0)
            {
                c.Remove("resources");
            }
        }
    }

    private static void Fill(JsonObject resources, string field, JsonObject? defaults)
    {
        if (defaults is null)
        {
            return;
        }
        var target = resources[field] as JsonObject ?? [];
        foreach (var (k, v) in defaults)
        {
            if (target[k] is null)
            {
                target[k] = v?.DeepClone();
            }
        }
        resources[field] = target;
    }
}
