using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Queues;
using Cdi.Kube.Rest;
using Cdi.Cluster.Provisioner;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// The local cluster's "kubelet": one node that runs pods of the cdi image as local cdi processes
/// (see <see cref="PodWorker"/>, <see cref="ContainerCommand"/> and <see cref="ContainerEnvironment"/> for the rules).
/// </summary>
public sealed class PodRunner(PodRunnerOptions? options = null, TimeProvider? timeProvider = null) : IClusterComponent
{
    private readonly PodRunnerOptions _options = options ?? new PodRunnerOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Name => "kubelet";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = NodeClientFactory.Create(context, _time);
        using var queue = new WorkQueue<string>(_time);
        var paths = new NodePaths(context.Directory);
        var pods = new Informer<Pod>(client, KubeResources.Pods);
        var claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims);
        pods.Store.AddIndexer(ClaimBinder.PodsByClaimIndex, ClaimBinder.ClaimsOf);
        pods.Added += p => queue.Add(ObjectMetaAccessor.KeyOf(p.Metadata));
        pods.Updated += (_, p) => queue.Add(ObjectMetaAccessor.KeyOf(p.Metadata));
        pods.Deleted += p => queue.Add(ObjectMetaAccessor.KeyOf(p.Metadata));
        claims.Added += c => PokeUsers(c, pods, queue);
        claims.Updated += (_, c) => PokeUsers(c, pods, queue);
        claims.Deleted += c => PokeUsers(c, pods, queue);

        var workers = new Dictionary<string, PodWorker>(StringComparer.Ordinal);
        var addresses = new PodAddressPool();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var informers = new[] { pods.RunAsync(stop.Token), claims.RunAsync(stop.Token) };
        try
        {
            await RegisterNodeAsync(client, stop.Token).ConfigureAwait(false);
            await Task.WhenAll(pods.WaitForSyncAsync(stop.Token), claims.WaitForSyncAsync(stop.Token)).ConfigureAwait(false);
            while (true)
            {
                var (key, shutdown) = await queue.GetAsync(stop.Token).ConfigureAwait(false);
                if (shutdown) break;
                try
                {
                    await SyncAsync(key, pods.Store.Get(key), workers, addresses, client, context, paths, stop.Token).ConfigureAwait(false);
                    queue.Forget(key);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
                {
                    queue.AddRateLimited(key);
                }
                finally
                {
                    queue.Done(key);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            queue.ShutDown();
            await Task.WhenAll(workers.Values.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informers).ConfigureAwait(false);
        }
    }

    private async Task SyncAsync(string key, Pod? pod, Dictionary<string, PodWorker> workers, PodAddressPool addresses, KubeClient client, ClusterContext context,
        NodePaths paths, CancellationToken stop)
    {
        workers.TryGetValue(key, out var worker);
        var gone = pod is null || pod.Metadata.DeletionTimestamp is not null || (worker is not null && worker.Uid != pod.Metadata.Uid);
        if (worker is not null && gone)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            workers.Remove(key);
            addresses.Release(worker.PodIP);
            worker = null;
        }
        if (pod is null)
        {
            var parts = key.Split('/', 2);
            if (parts.Length == 2 && Directory.Exists(paths.PodDirectory(parts[0], parts[1])))
                Directory.Delete(paths.PodDirectory(parts[0], parts[1]), recursive: true);
            return;
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // Processes are gone: finish the graceful deletion, as the kubelet does, once no finalizer holds it.
            if (pod.Metadata.Finalizers is not { Count: > 0 })
            {
                try
                {
                    await client.DeleteAsync(KubeResources.Pods, pod.Metadata.Name!, pod.Metadata.Namespace,
                        new DeleteOptions { GracePeriodSeconds = 0, Preconditions = new Preconditions { Uid = pod.Metadata.Uid } }, stop).ConfigureAwait(false);
                }
                catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
                {
                    // Already gone, or a newer pod of that name.
                }
            }
            return;
        }
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName) && pod.Spec.NodeName != _options.NodeName) return;
        if (worker is not null)
        {
            worker.Poke();
            return;
        }
        if (pod.Status?.Phase is "Succeeded" or "Failed") return;
        worker = new PodWorker(client, context, _options, paths, pod, addresses.Allocate(pod.Metadata.Uid, pod.Status?.PodIP));
        workers[key] = worker;
        worker.Start();
    }

    private async Task RegisterNodeAsync(KubeClient client, CancellationToken stop)
    {
        try
        {
            await LocalNode.RegisterAsync(client, _options.NodeName, stop).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
            // A server without nodes (or without nodes/status) still gets its pods run.
        }
    }

    private static void PokeUsers(PersistentVolumeClaim claim, Informer<Pod> pods, WorkQueue<string> queue)
    {
        foreach (var pod in pods.Store.ByIndex(ClaimBinder.PodsByClaimIndex, ObjectMetaAccessor.KeyOf(claim.Metadata)))
            queue.Add(ObjectMetaAccessor.KeyOf(pod.Metadata));
    }
}
