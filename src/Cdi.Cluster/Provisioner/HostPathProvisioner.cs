using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Queues;
using Cdi.Kube.Rest;
using Cdi.Cluster.Kubelet;

namespace Cdi.Cluster.Provisioner;

/// <summary>
/// The local cluster's volume provisioner: binds Pending PVCs of <c>cdi.local/hostpath</c> classes to new host-path
/// PVs, and deletes a PV with its files once its claim is gone (reclaim policy Delete).
/// Keys in the queue are "claim:ns/name" or "volume:name".
/// </summary>
public sealed class HostPathProvisioner(TimeProvider? timeProvider = null) : IClusterComponent
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Name => "provisioner";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = NodeClientFactory.Create(context, _time);
        using var queue = new WorkQueue<string>(_time);
        var claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims);
        var volumes = new Informer<PersistentVolume>(client, KubeResources.PersistentVolumes);
        var pods = new Informer<Pod>(client, KubeResources.Pods);
        var classes = new Informer<StorageClass>(client, KubeResources.StorageClasses);
        pods.Store.AddIndexer(ClaimBinder.PodsByClaimIndex, ClaimBinder.ClaimsOf);

        claims.Added += c => queue.Add(ClaimKey(c));
        claims.Updated += (_, c) => queue.Add(ClaimKey(c));
        claims.Deleted += c =>
        {
            // The PV that pointed at it must be released; find it by name or, if binding was half done, by claimRef.
            foreach (var pv in volumes.Store.List().Where(v => v.Spec?.ClaimRef?.Uid == c.Metadata.Uid)) queue.Add(VolumeKey(pv));
        };
        volumes.Added += v => queue.Add(VolumeKey(v));
        volumes.Updated += (_, v) => queue.Add(VolumeKey(v));
        pods.Added += p => EnqueueClaimsOf(p, queue);
        pods.Updated += (_, p) => EnqueueClaimsOf(p, queue);
        pods.Deleted += p => EnqueueClaimsOf(p, queue);
        classes.Added += _ => EnqueueAll(claims, queue);
        classes.Updated += (_, _) => EnqueueAll(claims, queue);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var informers = new[] { claims.RunAsync(stop.Token), volumes.RunAsync(stop.Token), pods.RunAsync(stop.Token), classes.RunAsync(stop.Token) };
        try
        {
            await Task.WhenAll(claims.WaitForSyncAsync(stop.Token), volumes.WaitForSyncAsync(stop.Token), pods.WaitForSyncAsync(stop.Token),
                classes.WaitForSyncAsync(stop.Token)).ConfigureAwait(false);
            var binder = new ClaimBinder(client, new VolumeFiles(context.Directory), classes.Store, pods.Store);
            await WorkAsync(queue, binder, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            queue.ShutDown();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informers).ConfigureAwait(false);
        }
    }

    private static async Task WorkAsync(WorkQueue<string> queue, ClaimBinder binder, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var (key, shutdown) = await queue.GetAsync(stopping).ConfigureAwait(false);
            if (shutdown) return;
            try
            {
                if (key.StartsWith("claim:", StringComparison.Ordinal)) await binder.ReconcileClaimAsync(key[6..], stopping).ConfigureAwait(false);
                else await binder.ReconcileVolumeAsync(key[7..], stopping).ConfigureAwait(false);
                queue.Forget(key);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or UnauthorizedAccessException)
            {
                // Conflicts and transient failures: retry with per-item backoff, as a controller would.
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    private static string ClaimKey(PersistentVolumeClaim c) => "claim:" + ObjectMetaAccessor.KeyOf(c.Metadata);

    private static string VolumeKey(PersistentVolume v) => "volume:" + v.Metadata.Name;

    private static void EnqueueClaimsOf(Pod pod, WorkQueue<string> queue)
    {
        foreach (var claim in ClaimBinder.ClaimsOf(pod)) queue.Add("claim:" + claim);
    }

    private static void EnqueueAll(Informer<PersistentVolumeClaim> claims, WorkQueue<string> queue)
    {
        foreach (var c in claims.Store.List()) queue.Add(ClaimKey(c));
    }
}
