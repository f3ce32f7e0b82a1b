using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;
using Cdi.Cluster.Kubelet;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Provisioner;

/// <summary>
/// The local cluster's volume provisioner: binds Pending PVCs of <c>cdi.local/hostpath</c> classes to new host-path
/// PVs, and deletes a PV with its files once its claim is gone (reclaim policy Delete).
/// Keys in the queue are "claim:ns/name" or "volume:name".
/// </summary>
public sealed class HostPathProvisioner(TimeProvider? timeProvider = null, ILogger? logger = null) : IClusterComponent
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Name => "provisioner";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = NodeClientFactory.Create(context, _time);
        var claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims);
        var volumes = new Informer<PersistentVolume>(client, KubeResources.PersistentVolumes);
        var pods = new Informer<Pod>(client, KubeResources.Pods);
        var classes = new Informer<StorageClass>(client, KubeResources.StorageClasses);
        pods.Store.AddIndexer(ClaimBinder.PodsByClaimIndex, ClaimBinder.ClaimsOf);
        var binder = new ClaimBinder(client, new VolumeFiles(context.Directory), classes.Store, pods.Store);
        // One worker: binding reads and writes volumes across claims.
        using var controller = new Controller<string>(new ControllerSettings(Name) { Workers = 1 }, new Reconciler(binder), _time, logger);
        controller
            // A deleted claim's PV must be released; found by claimRef, as binding may have been half done.
            .Watch(claims, c => ClaimGone(claims, c)
                ? volumes.Store.List().Where(v => v.Spec?.ClaimRef?.Uid == c.Metadata.Uid).Select(VolumeKey)
                : [ClaimKey(c)])
            .Watch(volumes, v => [VolumeKey(v)])
            .Watch(pods, p => ClaimBinder.ClaimsOf(p).Select(c => "claim:" + c))
            .Watch(classes, _ => claims.Store.List().Select(ClaimKey));
        try
        {
            await controller.RunAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    /// <summary>Keys are "claim:ns/name" or "volume:name"; conflicts and transient failures are retried by the runtime.</summary>
    private sealed class Reconciler(ClaimBinder binder) : IReconciler<string>
    {
        public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
        {
            if (key.StartsWith("claim:", StringComparison.Ordinal)) await binder.ReconcileClaimAsync(key[6..], cancellationToken).ConfigureAwait(false);
            else await binder.ReconcileVolumeAsync(key[7..], cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        public Task RecordTerminalAsync(string key, TerminalReconcileException failure, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static bool ClaimGone(Informer<PersistentVolumeClaim> claims, PersistentVolumeClaim c) =>
        claims.Store.Get(ObjectMetaAccessor.KeyOf(c.Metadata)) is not { } now || now.Metadata.Uid != c.Metadata.Uid;

    private static string ClaimKey(PersistentVolumeClaim c) => "claim:" + ObjectMetaAccessor.KeyOf(c.Metadata);

    private static string VolumeKey(PersistentVolume v) => "volume:" + v.Metadata.Name;
}
