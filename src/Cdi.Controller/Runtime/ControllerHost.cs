using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Settings;
using Cdi.Kube.Events;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Queues;
using Cdi.Kube.Rest;
using Cdi.Kube.Watching;

namespace Cdi.Controller.Runtime;

/// <summary>
/// Runs the DataVolume controller: informers on DataVolumes and on the claims and pods cdi creates turn every change
/// into a DataVolume key on a rate-limited work queue; a few workers reconcile keys, never the same key twice at once.
/// </summary>
public sealed class ControllerHost(KubeClient client, ControllerOptions options, ILogger? logger = null, int workers = 4)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var queue = new WorkQueue<DataVolumeKey>(client.TimeProvider, RateLimiters.DefaultController<DataVolumeKey>(client.TimeProvider));
        using var settings = new SettingsCache(new ClusterSettingsReconciler(client, options), EffectiveSettings.Defaults(options), client.TimeProvider, _logger);
        var reconciler = new DataVolumeReconciler(client, new EventRecorder(client, "datavolume-controller"), options, () => settings.Current);
        var storageClasses = new Informer<StorageClass>(client, KubeResources.StorageClasses);
        storageClasses.Added += _ => settings.Poke();
        storageClasses.Updated += (_, _) => settings.Poke();
        storageClasses.Deleted += _ => settings.Poke();
        var dataVolumes = new Informer<DataVolume>(client, CdiResources.DataVolumes);
        var labels = new ReflectorOptions { LabelSelector = $"{Annotations.AppLabel}={Annotations.AppLabelValue}" };
        var claims = new Informer<PersistentVolumeClaim>(client, KubeResources.PersistentVolumeClaims, options: labels);
        var pods = new Informer<Pod>(client, KubeResources.Pods, options: labels);

        void EnqueueDv(DataVolume dv) => queue.Add(new DataVolumeKey(dv.Metadata.Namespace!, dv.Metadata.Name!));
        void EnqueueOwned(ObjectMeta meta)
        {
            if (meta.Labels?.GetValueOrDefault(Annotations.DataVolumeLabel) is { } dv)
            {
                queue.Add(new DataVolumeKey(meta.Namespace!, dv));
            }
            else if (meta.OwnerReferences?.FirstOrDefault(r => r.Kind == "PersistentVolumeClaim") is { } owner)
            {
                // Scratch claims belong to the target claim, which has the DataVolume's name.
                queue.Add(new DataVolumeKey(meta.Namespace!, owner.Name));
            }
        }
        dataVolumes.Added += EnqueueDv;
        dataVolumes.Updated += (_, dv) => EnqueueDv(dv);
        claims.Added += c => EnqueueOwned(c.Metadata);
        claims.Updated += (_, c) => EnqueueOwned(c.Metadata);
        claims.Deleted += c => EnqueueOwned(c.Metadata);
        pods.Added += p => EnqueueOwned(p.Metadata);
        pods.Updated += (_, p) => EnqueueOwned(p.Metadata);
        pods.Deleted += p => EnqueueOwned(p.Metadata);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var informerTasks = new[] { dataVolumes.RunAsync(stop.Token), claims.RunAsync(stop.Token), pods.RunAsync(stop.Token), storageClasses.RunAsync(stop.Token) };
        await settings.RefreshAsync(stop.Token).ConfigureAwait(false);
        var settingsTask = settings.RunAsync(stop.Token);
        await Task.WhenAll(dataVolumes.WaitForSyncAsync(stop.Token), claims.WaitForSyncAsync(stop.Token), pods.WaitForSyncAsync(stop.Token)).ConfigureAwait(false);
        var workerTasks = Enumerable.Range(0, workers).Select(_ => WorkAsync(queue, reconciler, _logger, stop.Token)).ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        queue.ShutDown();
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workerTasks.Concat(informerTasks).Append(settingsTask).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
    }

    private static async Task WorkAsync(WorkQueue<DataVolumeKey> queue, DataVolumeReconciler reconciler, ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutdown) = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            if (shutdown)
            {
                return;
            }
            try
            {
                var result = await reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                queue.Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    queue.AddAfter(key, after);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Transient API trouble, a refused pod, a conflict that outlasted its retries: back off and look again.
                logger.LogWarning("reconcile {Key} failed, retrying with backoff: {Message}", key, e.Message);
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
