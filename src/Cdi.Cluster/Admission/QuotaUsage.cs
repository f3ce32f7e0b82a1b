using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>What pods and claims in a namespace use, in ResourceQuota terms (the keys a quota's spec.hard can name).</summary>
internal static class QuotaUsage
{
    public static Dictionary<string, decimal> OfPod(JsonObject pod)
    {
        var usage = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["pods"] = 1, ["count/pods"] = 1 };
        foreach (var c in pod["spec"]?["containers"] as JsonArray ?? [])
        {
            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var (resource, value) in c?["resources"]?[kind] as JsonObject ?? [])
                {
                    var key = kind + "." + resource;
                    usage[key] = usage.GetValueOrDefault(key) + Quantity.Parse(value?.ToString());
                    if (kind == "requests" && resource is "cpu" or "memory")
                    {
                        usage[resource] = usage.GetValueOrDefault(resource) + Quantity.Parse(value?.ToString());
                    }
                }
            }
        }
        return usage;
    }

    public static Dictionary<string, decimal> OfClaim(JsonObject claim)
    {
        var storage = Quantity.Parse(claim["spec"]?["resources"]?["requests"]?["storage"]?.ToString());
        return new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["persistentvolumeclaims"] = 1,
            ["count/persistentvolumeclaims"] = 1,
            ["requests.storage"] = storage,
        };
    }

    /// <summary>Current usage of a namespace: non-terminal pods and all claims.</summary>
    public static Dictionary<string, decimal> OfNamespace(ObjectStore store, string ns)
    {
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var pod in store.List("pods", ns).Items)
        {
            var phase = pod["status"]?["phase"]?.GetValue<string>();
            if (phase is "Succeeded" or "Failed")
            {
                continue;
            }
            Add(total, OfPod(pod));
        }
        foreach (var claim in store.List("persistentvolumeclaims", ns).Items)
        {
            Add(total, OfClaim(claim));
        }
        return total;
    }

    public static void Add(Dictionary<string, decimal> total, Dictionary<string, decimal> more)
    {
        foreach (var (k, v) in more)
        {
            total[k] = total.GetValueOrDefault(k) + v;
        }
    }
}
