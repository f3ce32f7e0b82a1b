using Cdi.Cluster.FileSafety;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;
using Cdi.Cluster.Provisioner;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// The local cluster's "kubelet": one node that runs pods of the cdi image as local cdi processes
/// (see <see cref="PodWorker"/>, <see cref="ContainerCommand"/> and <see cref="ContainerEnvironment"/> for the rules).
/// </summary>
public sealed class PodRunner(PodRunnerOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null) : IClusterComponent
{
    private readonly PodRunnerOptions _options = options ?? new PodRunnerOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Name => "kubelet";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = NodeClientFactory.Create(context, _time);
        var paths = new NodePaths(context.Directory);
        var pods = new Informer<Pod>(client, KubeResources.Pods);
        var claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims);
        pods.Store.AddIndexer(ClaimBinder.PodsByClaimIndex, ClaimBinder.ClaimsOf);
        var workers = new Dictionary<string, PodWorker>(StringComparer.Ordinal);
        var addresses = new PodAddressPool();
        Dictionary<string, LeftoverContainers.Interrupted> interrupted;
        try
        {
            interrupted = await LeftoverContainers.StopAsync(paths, _time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        // One worker: the table of running pods belongs to the reconcile alone.
        using var controller = new Controller<string>(new ControllerSettings(Name) { Workers = 1 },
            new Reconciler(key => SyncAsync(key, pods.Store.Get(key), workers, addresses, interrupted, client, context, paths, stopping)), _time, logger);
        controller
            .Watch(pods, p => [ObjectMetaAccessor.KeyOf(p.Metadata)])
            .Watch(claims, c => pods.Store.ByIndex(ClaimBinder.PodsByClaimIndex, ObjectMetaAccessor.KeyOf(c.Metadata)).Select(p => ObjectMetaAccessor.KeyOf(p.Metadata)));
        try
        {
            await RegisterNodeAsync(client, stopping).ConfigureAwait(false);
            await controller.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            await Task.WhenAll(workers.Values.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    /// <summary>The pod runner's reconcile: nothing it meets is terminal; failures are retried by the runtime.</summary>
    private sealed class Reconciler(Func<string, Task> sync) : IReconciler<string>
    {
        public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            await sync(key).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        public Task RecordTerminalAsync(string key, TerminalReconcileException failure, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private async Task SyncAsync(string key, Pod? pod, Dictionary<string, PodWorker> workers, PodAddressPool addresses,
        Dictionary<string, LeftoverContainers.Interrupted> interrupted, KubeClient client, ClusterContext context,
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
            if (parts.Length == 2) DeletePodDirectory(paths, parts[0], parts[1]);
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
        // Containers the previous node left running were killed at start: this pod's first look sees them ended.
        var ended = interrupted.Remove(key, out var leftover) && leftover.PodUid == pod.Metadata.Uid ? leftover.Containers : null;
        worker = new PodWorker(client, context, _options, paths, pod, addresses.Allocate(pod.Metadata.Uid, pod.Status?.PodIP), ended);
        workers[key] = worker;
        worker.Start();
    }

    // Removes the pod's folder, links inside it unfollowed; a name that never was a folder has nothing to remove.
    private static void DeletePodDirectory(NodePaths paths, string ns, string name)
    {
        try
        {
            paths.PodDirectory(ns, name).Delete();
        }
        catch (UnsafePathException)
        {
            // Never created: the worker refused the name (or a link above the folder) before writing anything.
        }
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
}
