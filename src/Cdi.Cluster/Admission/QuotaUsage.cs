using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Quantity = Cdi.Kube.Models.Quantity;

namespace Cdi.Cluster.Admission;

/// <summary>What pods and claims in a namespace use, in ResourceQuota terms (the keys a quota's spec.hard can name).</summary>
internal static class QuotaUsage
{
    private static readonly Quantity One = Quantity.FromDecimal(1);

    /// <summary>
    /// A stored quantity; absent counts as zero. Incoming objects were checked by <see cref="QuantityAdmission"/>, so an
    /// unparsable value here is an object stored before that check, and counts as zero rather than blocking the namespace.
    /// </summary>
    public static Quantity Amount(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<string>(out var text) && Quantity.TryParse(text, out var q) ? q
        : value is JsonValue n && n.TryGetValue<decimal>(out var number) ? Quantity.FromDecimal(number)
        : Quantity.Zero;

    public static Dictionary<string, Quantity> OfPod(JsonObject pod)
    {
        var usage = new Dictionary<string, Quantity>(StringComparer.Ordinal) { ["pods"] = One, ["count/pods"] = One };
        foreach (var c in pod["spec"]?["containers"] as JsonArray ?? [])
        {
            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var (resource, value) in c?["resources"]?[kind] as JsonObject ?? [])
                {
                    var key = kind + "." + resource;
                    usage[key] = usage.GetValueOrDefault(key) + Amount(value);
                    if (kind == "requests" && resource is "cpu" or "memory")
                    {
                        usage[resource] = usage.GetValueOrDefault(resource) + Amount(value);
                    }
                }
            }
        }
        return usage;
    }

    public static Dictionary<string, Quantity> OfClaim(JsonObject claim)
    {
        var storage = Amount(claim["spec"]?["resources"]?["requests"]?["storage"]);
        return new Dictionary<string, Quantity>(StringComparer.Ordinal)
        {
            ["persistentvolumeclaims"] = One,
            ["count/persistentvolumeclaims"] = One,
            ["requests.storage"] = storage,
        };
    }

    /// <summary>Current usage of a namespace: non-terminal pods and all claims.</summary>
    public static Dictionary<string, Quantity> OfNamespace(ObjectStore store, string ns)
    {
        var total = new Dictionary<string, Quantity>(StringComparer.Ordinal);
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

    public static void Add(Dictionary<string, Quantity> total, Dictionary<string, Quantity> more)
    {
        foreach (var (k, v) in more)
        {
            total[k] = total.GetValueOrDefault(k) + v;
        }
    }
}
