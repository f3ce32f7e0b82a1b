using System.Text.Json.Nodes;

namespace Cdi.Cluster.ApiServer;

/// <summary>Pod fields the API server fills: the QoS class from the containers' requests and limits.</summary>
internal static class PodDefaults
{
    public static IEnumerable<JsonObject> Containers(JsonObject pod)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            if (pod["spec"]?[list] is JsonArray a)
            {
                foreach (var c in a.OfType<JsonObject>())
                {
                    yield return c;
                }
            }
        }
    }

    public static void SetQosClass(JsonObject pod)
    {
        var containers = Containers(pod).ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requests = c["resources"]?["requests"] as JsonObject;
            var limits = c["resources"]?["limits"] as JsonObject;
            any |= (requests?.Count ?? 0) > 0 || (limits?.Count ?? 0) > 0;
            foreach (var r in new[] { "cpu", "memory" })
            {
                var l = limits?[r]?.ToString();
                var q = requests?[r]?.ToString();
                if (l is null || (q is not null && !string.Equals(l, q, StringComparison.Ordinal)))
                {
                    guaranteed = false;
                }
            }
        }
        var status = pod["status"] as JsonObject ?? [];
        status["qosClass"] = !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
        pod["status"] = status;
    }
}
