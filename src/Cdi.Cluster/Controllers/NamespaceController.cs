using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Namespace lifecycle, keyed by namespace: a live namespace has its ServiceAccount "default" (the service account
/// controller's job; pods name it by default); a namespace marked for deletion (phase Terminating) has everything in
/// it deleted, and once nothing is left (objects with finalizers wait for them) the namespace itself goes.
/// </summary>
internal sealed class NamespaceController(ObjectService objects) : IStoreLoop<string>
{
    public string Name => "namespace-controller";

    public IEnumerable<string> KeysOf(StoredObject changed)
    {
        if (string.Equals(changed.GroupResource, "namespaces", StringComparison.Ordinal))
        {
            return [ObjectMeta.Name(changed.Object)];
        }
        var ns = ObjectMeta.Namespace(changed.Object);
        if (ns.Length == 0)
        {
            return [];
        }
        if (string.Equals(changed.GroupResource, "serviceaccounts", StringComparison.Ordinal) && ObjectMeta.Name(changed.Object) == "default")
        {
            return [ns];
        }
        // A change inside a namespace matters only while the namespace is being emptied.
        return objects.Store.Get(new ObjectKey("namespaces", "", ns)) is { } owner && ObjectMeta.IsDeleting(owner) ? [ns] : [];
    }

    public void Reconcile(string ns)
    {
        if (objects.Store.Get(new ObjectKey("namespaces", "", ns)) is not { } namespaceObject)
        {
            return;
        }
        if (ObjectMeta.IsDeleting(namespaceObject))
        {
            Finalize(ns);
        }
        else
        {
            EnsureDefaultServiceAccount(ns);
        }
    }

    private void EnsureDefaultServiceAccount(string ns)
    {
        if (objects.Store.Get(new ObjectKey("serviceaccounts", ns, "default")) is not null
            || objects.Registry.FindByGroupResource("serviceaccounts") is not { } d)
        {
            return;
        }
        try
        {
            objects.Create(d, "v1", ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteOptions.Internal);
        }
        catch (ApiException e) when (e.Code is 403 or 409)
        {
            // The namespace began terminating (its next pass empties it), or someone else created the account first.
        }
    }

    private void Finalize(string ns)
    {
        var remaining = 0;
        foreach (var gr in objects.Store.GroupResources())
        {
            var d = objects.Registry.FindByGroupResource(gr);
            if (d is null || !d.Namespaced)
            {
                continue;
            }
            foreach (var o in objects.Store.List(gr, ns).Items)
            {
                remaining++;
                if (!ObjectMeta.IsDeleting(o))
                {
                    try
                    {
                        objects.Delete(d, ns, ObjectMeta.Name(o), DeleteOptions.Default);
                    }
                    catch (ApiException e) when (e.Code == 404)
                    {
                        // Already gone.
                    }
                }
            }
        }
        if (remaining == 0 || objects.Store.GroupResources().All(gr =>
                objects.Registry.FindByGroupResource(gr) is not { Namespaced: true } || objects.Store.List(gr, ns).Items.Count == 0))
        {
            objects.Store.Write(new ObjectKey("namespaces", "", ns), current =>
                current is not null && ObjectMeta.IsDeleting(current) ? StoreWrite.Remove : StoreWrite.Keep);
        }
    }
}
