using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Background cascading deletion: when an object goes, its dependents (ownerReferences naming its uid) are deleted,
/// unless another owner still exists, in which case only the dangling reference is removed. An object created with
/// owners that are all gone is collected too. Foreground deletion is accepted but behaves as background.
/// Keys are the dependents: a reconcile looks at one object and its owners as they are now.
/// </summary>
internal sealed class GarbageCollector(ObjectService objects) : IStoreLoop<ObjectKey>
{
    public string Name => "garbage-collector";

    public IEnumerable<ObjectKey> KeysOf(StoredObject changed)
    {
        if (HasOwners(changed.Object))
        {
            yield return changed.Key;
        }
        var uid = ObjectMeta.Uid(changed.Object);
        // Only an object that is gone can orphan anything; asking the store is cheap, scanning it is not.
        if (uid.Length > 0 && !objects.Store.ExistsUid(uid))
        {
            foreach (var (resource, o) in objects.Store.Select(o => OwnedBy(o, uid)))
            {
                yield return new StoredObject(resource, o).Key;
            }
        }
    }

    public void Reconcile(ObjectKey key)
    {
        var store = objects.Store;
        if (store.Get(key) is not { } o || ObjectMeta.IsDeleting(o) || !HasOwners(o))
        {
            return;
        }
        var owners = OwnerUids(o);
        var live = owners.Where(store.ExistsUid).ToHashSet(StringComparer.Ordinal);
        if (live.Count == owners.Count)
        {
            return;
        }
        if (live.Count == 0)
        {
            if (objects.Registry.FindByGroupResource(key.GroupResource) is { } d)
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

    private static bool OwnedBy(JsonObject o, string uid) =>
        o["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"] is JsonValue v && v.TryGetValue<string>(out var u) && u == uid);

    private static List<string> OwnerUids(JsonObject o) =>
        [.. ObjectMeta.OwnerReferences(o).Select(r => r?["uid"]?.GetValue<string>() ?? "")];
}
