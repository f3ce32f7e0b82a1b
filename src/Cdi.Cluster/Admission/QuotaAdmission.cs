using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;
using Quantity = Cdi.Kube.Models.Quantity;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The ResourceQuota admission plugin: refuses pods missing a limit or request the quota tracks, and creations that
/// would exceed a hard limit — with Kubernetes' own messages, which cdi's users search for (seed 000_40cb…, issue #1).
/// </summary>
internal static class QuotaAdmission
{
    // The compute resources every container must specify when a quota tracks them (a historical rule Kubernetes
    // keeps for cpu and memory only). "cpu" and "memory" are the requests.* names' aliases.
    private static readonly string[] Constrained = ["cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory"];

    public static void AdmitPod(ObjectStore store, ResourceDefinition d, JsonObject pod)
    {
        var name = ObjectMeta.Name(pod);
        foreach (var quota in Quotas(store, pod))
        {
            var hard = Hard(quota);
            var required = Constrained.Where(hard.ContainsKey).ToList();
            // Sorted, as Kubernetes lists them. Init containers too: every container the pod will run is checked.
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var c in PodDefaults.Containers(pod))
            {
                var has = Specified(c);
                missing.UnionWith(required.Where(r => !has.Contains(r)));
            }
            if (missing.Count > 0)
            {
                throw ApiErrors.Forbidden(d, name, $"failed quota: {ObjectMeta.Name(quota)}: must specify {string.Join(",", missing)}");
            }
        }
        CheckLimits(store, d, pod, QuotaUsage.OfPod(pod));
    }

    // What a container's requests and limits count as, in quota names.
    private static HashSet<string> Specified(JsonObject container)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in new[] { "cpu", "memory" })
        {
            if (container["resources"]?["requests"]?[resource] is not null)
            {
                names.Add(resource);
                names.Add("requests." + resource);
            }
            if (container["resources"]?["limits"]?[resource] is not null)
            {
                names.Add("limits." + resource);
            }
        }
        return names;
    }

    public static void AdmitClaim(ObjectStore store, ResourceDefinition d, JsonObject claim) =>
        CheckLimits(store, d, claim, QuotaUsage.OfClaim(claim));

    private static void CheckLimits(ObjectStore store, ResourceDefinition d, JsonObject obj, Dictionary<string, Quantity> requested)
    {
        var quotas = Quotas(store, obj);
        if (quotas.Count == 0)
        {
            return;
        }
        var used = QuotaUsage.OfNamespace(store, ObjectMeta.Namespace(obj));
        foreach (var quota in quotas)
        {
            var hard = Hard(quota);
            var exceeded = hard.Keys
                .Where(k => requested.ContainsKey(k) && used.GetValueOrDefault(k) + requested[k] > hard[k])
                .Order(StringComparer.Ordinal)
                .ToList();
            if (exceeded.Count == 0)
            {
                continue;
            }
            string List(Func<string, Quantity> value) => string.Join(",", exceeded.Select(k => $"{k}={value(k)}"));
            throw ApiErrors.Forbidden(d, ObjectMeta.Name(obj),
                $"exceeded quota: {ObjectMeta.Name(quota)}, requested: {List(k => requested[k])}, used: {List(k => used.GetValueOrDefault(k))}, limited: {List(k => hard[k])}");
        }
    }

    private static List<JsonObject> Quotas(ObjectStore store, JsonObject obj) =>
        store.List("resourcequotas", ObjectMeta.Namespace(obj)).Items;

    public static Dictionary<string, Quantity> Hard(JsonObject quota)
    {
        var hard = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        foreach (var (k, v) in quota["spec"]?["hard"] as JsonObject ?? [])
        {
            hard[k] = QuotaUsage.Amount(v);
        }
        return hard;
    }
}
