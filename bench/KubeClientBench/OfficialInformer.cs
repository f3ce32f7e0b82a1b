using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Cdi.Bench.KubeClient;

/// <summary>
/// The least informer the official client needs for this workload: list, then watch from the list's
/// resourceVersion into a dictionary, re-watching from the last seen version when the server closes the stream.
/// It has none of Reflector's 410-Gone relist, bookmarks, backoff or delete-on-relist: that is the part cdi keeps.
/// </summary>
internal sealed class OfficialInformer(Kubernetes client, string ns)
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, V1ConfigMap> Store { get; } = new(StringComparer.Ordinal);

    public event Action<V1ConfigMap>? Added;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var item in list.Items) Store[item.Metadata.Name] = item;
        var resourceVersion = list.Metadata.ResourceVersion;
        _synced.TrySetResult();
        while (!cancellationToken.IsCancellationRequested)
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: resourceVersion,
                               allowWatchBookmarks: true, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                resourceVersion = item.Metadata.ResourceVersion;
                switch (type)
                {
                    case WatchEventType.Added:
                        Store[item.Metadata.Name] = item;
                        Added?.Invoke(item);
                        break;
                    case WatchEventType.Modified:
                        Store[item.Metadata.Name] = item;
                        break;
                    case WatchEventType.Deleted:
                        Store.TryRemove(item.Metadata.Name, out _);
                        break;
                    default:
                        break;
                }
            }
        }
    }
}
