using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Admission;

/// <summary>
/// The ResourceQuota admission plugin: refuses pods missing a limit or request the quota tracks, and creations that
/// would exceed a hard limit — with Kubernetes' own messages, which cdi's users search for (seed 000_40cb…, issue #1).
/// </summary>
internal static class QuotaAdmission
{
    // The compute resources a pod must specify when a quota tracks them (ordered as Kubernetes sorts them).
    private static readonly string[] Constrained = ["limits.cpu", "limits.memory", "requests.cpu", "requests.memory"];

    public static void AdmitPod(ObjectStore store, ResourceDefinition d, JsonObject pod)
    {
        var name = ObjectMeta.Name(pod);
        foreach (var quota in Quotas(store, pod))
        {
            var hard = Hard(quota);
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            // Init containers too: Kubernetes checks every container the pod will run.
            foreach (var c in PodDefaults.Containers(pod))
            {
                foreach (var key in Constrained)
                {
                    var tracked = hard.ContainsKey(key) || (key.StartsWith("requests.", StringComparison.Ordinal) && hard.ContainsKey(key["requests.".Length..]));
                    var (kind, resource) = (key[..key.IndexOf('.', StringComparison.Ordinal)], key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..]);
                    if (tracked && c?["resources"]?[kind]?[resource] is null)
                    {
                        missing.Add(key);
                    }
                }
            }
            if (missing.Count > 0)
            {
                throw ApiErrors.Forbidden(d, name, $"failed quota: {ObjectMeta.Name(quota)}: must specify {string.Join(",", missing)}");
            }
        }
        CheckLimits(store, d, pod, QuotaUsage.OfPod(pod));
    }

    public static void AdmitClaim(ObjectStore store, ResourceDefinition d, JsonObject claim) =>
        CheckLimits(store, d, claim, QuotaUsage.OfClaim(claim));

    private static void CheckLimits(ObjectStore store, ResourceDefinition d, JsonObject obj, Dictionary<string, decimal> requested)
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
            string List(Func<string, decimal> value) => string.Join(",", exceeded.Select(k => $"{k}={Quantity.Format(value(k))}"));
            throw ApiErrors.Forbidden(d, ObjectMeta.Name(obj),
                $"exceeded quota: {ObjectMeta.Name(quota)}, requested: {List(k => requested[k])}, used: {List(k => used.GetValueOrDefault(k))}, limited: {List(k => hard[k])}");
        }
    }

    private static List<JsonObject> Quotas(ObjectStore store, JsonObject obj) =>
        store.List("resourcequotas", ObjectMeta.Namespace(obj)).Items;

    public static Dictionary<string, decimal> Hard(JsonObject quota)
    {
        var hard = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (k, v) in quota["spec"]?["hard"] as JsonObject ?? [])
        {
            hard[k] = Quantity.Parse(v?.ToString());
        }
        return hard;
    }
}
