using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Background cascading deletion: when an object goes, its dependents (ownerReferences naming its uid) are deleted,
/// unless another owner still exists, in which case only the dangling reference is removed. An object created with
/// owners that are all gone is collected too. Foreground deletion is accepted but behaves as background.
/// </summary>
internal sealed class GarbageCollector(ObjectService objects, ILogger logger) : IController
{
    public string Name => "garbage-collector";

    public Task RunAsync(CancellationToken stopping) =>
        ControllerLoop.RunAsync(objects.Store, Name, Resync, Handle, logger, stopping);

    private void Resync()
    {
        foreach (var (gr, o) in objects.Store.Select(o => HasOwners(o)))
        {
            Collect(gr, o);
        }
    }

    private void Handle(WatchEvent e)
    {
        if (e.Type == WatchEventType.Deleted)
        {
            var uid = ObjectMeta.Uid(e.Object);
            foreach (var (gr, o) in objects.Store.Select(o => OwnerUids(o).Contains(uid, StringComparer.Ordinal)))
            {
                Collect(gr, o);
            }
        }
        else if (HasOwners(e.Object))
        {
            Collect(e.GroupResource, e.Object);
        }
    }

    private void Collect(string groupResource, JsonObject o)
    {
        if (ObjectMeta.IsDeleting(o))
        {
            return;
        }
        var store = objects.Store;
        var owners = OwnerUids(o);
        var live = owners.Where(store.ExistsUid).ToHashSet(StringComparer.Ordinal);
        if (live.Count == owners.Count)
        {
            return;
        }
        var key = new ObjectKey(groupResource, ObjectMeta.Namespace(o), ObjectMeta.Name(o));
        if (live.Count == 0)
        {
            if (objects.Registry.FindByGroupResource(groupResource) is { } d)
            {
                objects.Delete(d, key.Namespace, key.Name, DeleteOptions.Default);
            }
            return;
        }
        store.Write(key, current =>
        {
            if (current is null)
            {
                return StoreWrite.Keep;
            }
            var refs = ObjectMeta.OwnerReferences(current);
            foreach (var r in refs.Where(r => !live.Contains(r?["uid"]?.GetValue<string>() ?? "")).ToList())
            {
                refs.Remove(r);
            }
            return StoreWrite.Put(current);
        });
    }

    private static bool HasOwners(JsonObject o) => o["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 };

    private static List<string> OwnerUids(JsonObject o) =>
        [.. ObjectMeta.OwnerReferences(o).Select(r => r?["uid"]?.GetValue<string>() ?? "")];
}
