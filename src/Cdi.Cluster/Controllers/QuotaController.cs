using System.Text.Json.Nodes;
using Cdi.Cluster.Admission;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Controllers;

/// <summary>Keeps each ResourceQuota's status (hard, used) in step with the pods and claims of its namespace; keyed by namespace.</summary>
internal sealed class QuotaController(ObjectService objects) : IStoreLoop<string>
{
    public string Name => "resourcequota-controller";

    public IEnumerable<string> KeysOf(StoredObject changed) =>
        changed.GroupResource is "pods" or "persistentvolumeclaims" or "resourcequotas" ? [ObjectMeta.Namespace(changed.Object)] : [];

    public void Reconcile(string ns)
    {
        var quotas = objects.Store.List("resourcequotas", ns).Items;
        if (quotas.Count == 0)
        {
            return;
        }
        var usage = QuotaUsage.OfNamespace(objects.Store, ns);
        foreach (var quota in quotas)
        {
            var hard = quota["spec"]?["hard"] as JsonObject ?? [];
            var used = new JsonObject();
            foreach (var (k, _) in hard)
            {
                used[k] = usage.GetValueOrDefault(k).ToString();
            }
            var status = new JsonObject { ["hard"] = hard.DeepClone(), ["used"] = used };
            if (JsonNode.DeepEquals(status, quota["status"]))
            {
                continue;
            }
            objects.Store.Write(new ObjectKey("resourcequotas", ns, ObjectMeta.Name(quota)), current =>
            {
                if (current is null)
                {
                    return StoreWrite.Keep;
                }
                current["status"] = status.DeepClone();
                return StoreWrite.Put(current);
            });
        }
    }
}
