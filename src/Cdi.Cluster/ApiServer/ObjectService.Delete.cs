using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.ApiServer;

internal sealed partial class ObjectService
{
    /// <summary>
    /// Deletes, or marks for deletion when finalizers remain (and always for namespaces, which the namespace controller
    /// empties first). Returns the object as it now is and whether it is gone.
    /// </summary>
    public (JsonObject Object, bool Gone) Delete(ResourceDefinition d, string? ns, string name, DeleteOptions options)
    {
        var key = new ObjectKey(d.GroupResource, d.Namespaced ? ns ?? "" : "", name);
        JsonObject? kept = null;
        var isNamespace = string.Equals(d.GroupResource, "namespaces", StringComparison.Ordinal);
        // Orphan first, so the garbage collector reacting to the deletion finds no dependents left to collect.
        if (string.Equals(options.PropagationPolicy, "Orphan", StringComparison.Ordinal) && !options.DryRun
            && store.Get(key) is { } target && ObjectMeta.Finalizers(target).Count == 0 && !isNamespace)
        {
            Orphan(ObjectMeta.Uid(target));
        }
        var committed = store.Write(key, current =>
        {
            if (current is null)
            {
                throw ApiErrors.NotFound(d, name);
            }
            if ((options.PreconditionUid is { Length: > 0 } uid && !string.Equals(uid, ObjectMeta.Uid(current), StringComparison.Ordinal))
                || (options.PreconditionResourceVersion is { Length: > 0 } rv && !string.Equals(rv, ObjectMeta.Str(current, "resourceVersion"), StringComparison.Ordinal)))
            {
                throw ApiErrors.Conflict(d, name);
            }
            if (isNamespace || ObjectMeta.Finalizers(current).Count > 0)
            {
                kept = current;
                if (ObjectMeta.IsDeleting(current))
                {
                    return StoreWrite.Keep;
                }
                var meta = ObjectMeta.Metadata(current);
                meta["deletionTimestamp"] = ObjectMeta.Timestamp(clock.GetUtcNow());
                meta["deletionGracePeriodSeconds"] = 0;
                if (isNamespace)
                {
                    current["status"] = new JsonObject { ["phase"] = "Terminating" };
                }
                return options.DryRun ? StoreWrite.Keep : StoreWrite.Put(current);
            }
            kept = current;
            return options.DryRun ? StoreWrite.Keep : StoreWrite.Remove;
        });
        AfterCommit(d, committed);
        if (committed is null)
        {
            return (kept!, false);
        }
        return ((JsonObject)committed.Object.DeepClone(), committed.Type == WatchEventType.Deleted);
    }

    /// <summary>propagationPolicy=Orphan: dependents lose their owner reference instead of being collected.</summary>
    private void Orphan(string ownerUid)
    {
        foreach (var gr in store.GroupResources())
        {
            foreach (var o in store.List(gr, null).Items)
            {
                if (!ObjectMeta.OwnerReferences(o).Any(r => string.Equals(r?["uid"]?.GetValue<string>(), ownerUid, StringComparison.Ordinal)))
                {
                    continue;
                }
                store.Write(new ObjectKey(gr, ObjectMeta.Namespace(o), ObjectMeta.Name(o)), current =>
                {
                    if (current is null)
                    {
                        return StoreWrite.Keep;
                    }
                    var refs = ObjectMeta.OwnerReferences(current);
                    foreach (var r in refs.Where(r => string.Equals(r?["uid"]?.GetValue<string>(), ownerUid, StringComparison.Ordinal)).ToList())
                    {
                        refs.Remove(r);
                    }
                    if (refs.Count == 0)
                    {
                        ObjectMeta.Metadata(current).Remove("ownerReferences");
                    }
                    return StoreWrite.Put(current);
                });
            }
        }
    }
}
