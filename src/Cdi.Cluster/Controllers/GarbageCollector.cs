using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Background cascading deletion: when an object goes, its dependents (ownerReferences naming its uid) are deleted,
/// unless another owner still exists, in which case only the dangling reference is removed. Foreground deletion is
/// accepted but treated as background.
/// </summary>
internal sealed class GarbageCollector(ObjectService objects, ILogger logger) : IController
{
    public string Name => "garbage-collector";

    public Task RunAsync(CancellationToken stopping) =>
        ControllerLoop.RunAsync(objects.Store, Name, Sweep, Handle, logger, stopping);

    private void Handle(WatchEvent e)
    {
        if (e.Type == WatchEventType.Deleted)
        {
            Sweep();
        }
        else if (e.Type == WatchEventType.Added && ObjectMeta.OwnerReferences(e.Object).Count > 0)
        {
            Sweep();
        }
    }

    /// <summary>Deletes every object whose owners are all gone.</summary>
    private void Sweep()
    {
        var store = objects.Store;
        var all = store.GroupResources().SelectMany(gr => store.List(gr, null).Items.Select(o => (gr, o))).ToList();
        var live = all.Select(x => ObjectMeta.Uid(x.o)).ToHashSet(StringComparer.Ordinal);
        foreach (var (gr, o) in all)
        {
            var owners = ObjectMeta.OwnerReferences(o).Select(r => r?["uid"]?.GetValue<string>() ?? "").ToList();
            if (owners.Count == 0 || ObjectMeta.IsDeleting(o))
            {
                continue;
            }
            var remaining = owners.Count(live.Contains);
            var key = new ObjectKey(gr, ObjectMeta.Namespace(o), ObjectMeta.Name(o));
            if (remaining == 0)
            {
                var d = objects.Registry.FindByGroupResource(gr);
                if (d is not null)
                {
                    objects.Delete(d, key.Namespace, key.Name, DeleteOptions.Default);
                }
            }
            else if (remaining < owners.Count)
            {
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
