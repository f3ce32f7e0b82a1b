using Cdi.Cluster.Storage;
using Cdi.Kube.Informers;
using ReflectorStatus = Cdi.Kube.Watching.ReflectorStatus;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// The store seen as an informer of every resource, so the API server's own control loops run on the same
/// controller runtime as cdi's: it lists everything (as ADDED) after subscribing, then passes on each committed change.
/// Cut off as a slow watcher, it subscribes and lists again: a level-based reconcile loses nothing by that, because the
/// relist brings every object that still exists (and what went meanwhile has left its dependents to be found).
/// </summary>
internal sealed class StoreInformer(ObjectStore store, TimeProvider time) : INotifyingInformer<StoredObject>
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ReflectorStatus _status = new(0, null, null);

    public string Resource => "all resources (in-process)";

    public bool HasSynced => _synced.Task.IsCompleted;

    public ReflectorStatus Status => _status;

    public event Action<StoredObject>? Added;

    public event Action<StoredObject, StoredObject>? Updated;

    public event Action<StoredObject>? Deleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Subscribing from the current version first, then listing, leaves no gap: a change made while listing is
            // both listed and delivered, which a level-based reconcile takes twice without harm.
            using var subscription = store.Watch(null, store.ResourceVersion);
            foreach (var (resource, o) in store.Select(static _ => true))
            {
                Added?.Invoke(new StoredObject(resource, o));
            }
            _synced.TrySetResult();
            try
            {
                await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    Dispatch(e);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            _status = new ReflectorStatus(0, "cut off as a slow watcher; listed again", time.GetUtcNow());
        }
    }

    private void Dispatch(WatchEvent e)
    {
        var now = new StoredObject(e.GroupResource, e.Object);
        switch (e.Type)
        {
            case WatchEventType.Added:
                Added?.Invoke(now);
                break;
            case WatchEventType.Modified:
                Updated?.Invoke(new StoredObject(e.GroupResource, e.Previous ?? e.Object), now);
                break;
            default:
                Deleted?.Invoke(now);
                break;
        }
    }
}
