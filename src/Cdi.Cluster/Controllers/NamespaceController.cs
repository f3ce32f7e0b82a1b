using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Namespace deletion: a namespace marked for deletion (phase Terminating) has everything in it deleted; once nothing
/// is left (objects with finalizers wait for them), the namespace itself goes.
/// </summary>
internal sealed class NamespaceController(ObjectService objects, ILogger logger) : IController
{
    public string Name => "namespace-controller";

    public Task RunAsync(CancellationToken stopping) =>
        ControllerLoop.RunAsync(objects.Store, Name, Resync, Handle, logger, stopping);

    private void Resync()
    {
        foreach (var ns in objects.Store.List("namespaces", null).Items.Where(n => !ObjectMeta.IsDeleting(n)))
        {
            EnsureDefaultServiceAccount(ObjectMeta.Name(ns));
        }
        foreach (var ns in objects.Store.List("namespaces", null).Items.Where(ObjectMeta.IsDeleting))
        {
            Finalize(ObjectMeta.Name(ns));
        }
    }

    private void Handle(WatchEvent e)
    {
        if (string.Equals(e.GroupResource, "namespaces", StringComparison.Ordinal))
        {
            if (e.Type != WatchEventType.Deleted && ObjectMeta.IsDeleting(e.Object))
            {
                Finalize(ObjectMeta.Name(e.Object));
            }
            else if (e.Type == WatchEventType.Added)
            {
                EnsureDefaultServiceAccount(ObjectMeta.Name(e.Object));
            }
            return;
        }
        var ns = ObjectMeta.Namespace(e.Object);
        if (e.Type == WatchEventType.Deleted && ns.Length > 0
            && objects.Store.Get(new ObjectKey("namespaces", "", ns)) is { } nsObj && ObjectMeta.IsDeleting(nsObj))
        {
            Finalize(ns);
        }
    }

    /// <summary>Every namespace has a ServiceAccount "default" (the service account controller's job), which pods name by default.</summary>
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
        catch (ApiException e) when (e.Code is 403 or 404 or 409)
        {
            // The namespace went (or is going) away, or someone else created it first.
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
