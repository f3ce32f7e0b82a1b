using Microsoft.Extensions.Logging;
using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;

namespace Cdi.Controller.Runtime;

/// <summary>
/// Runs cdi's controllers on the shared runtime: the cluster-settings controller (CDIConfig status, StorageProfiles)
/// and the DataVolume controller. Both read the same <see cref="ControllerCaches"/>; the settings controller runs the
/// settings informers, the DataVolume controller the DataVolume, claim and pod informers. A change to storage classes,
/// CDIConfig or StorageProfiles requeues every DataVolume still in progress.
/// </summary>
public sealed class ControllerHost(KubeClient client, ControllerOptions options, ILogger? logger = null, int workers = 4,
    IImportProgressReader? progress = null)
{
    private Controller<DataVolumeKey>? _dataVolumes;
    private Controller<string>? _settings;

    /// <summary>The running controllers (none before <see cref="RunAsync"/>, or on a replica waiting for the lease).</summary>
    public IReadOnlyList<IControllerStatus> Controllers => [.. new IControllerStatus?[] { _settings, _dataVolumes }.OfType<IControllerStatus>()];

    /// <summary>Both controllers' health, once running.</summary>
    public IReadOnlyList<ControllerHealth> Health => [.. Controllers.Select(c => c.Health)];

    /// <summary>Each DataVolume reconcile: key, outcome, duration (the control-plane benchmark's latency figures).</summary>
    public event Action<DataVolumeKey, ReconcileOutcome, TimeSpan>? Reconciled;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var time = client.TimeProvider;
        var caches = new ControllerCaches(client);
        var expectations = new Expectations(time);
        // Events are sent beside the reconciles: a reconcile never waits on an advisory write.
        var events = new EventRecorder(client, "datavolume-controller", background: true);
        // Progress comes from the importer pods themselves (their typed endpoint on the pod IP), never from their logs.
        using var ownProgress = progress is null ? new HttpImportProgressReader() : null;
        var progressCache = new ImportProgressCache(progress ?? ownProgress!, time, logger: logger);
        using var settings = new Controller<string>(new ControllerSettings("cluster-settings") { Workers = 1 },
            new ClusterSettingsReconciler(client, caches, options), time, logger);
        using var dataVolumes = new Controller<DataVolumeKey>(new ControllerSettings("datavolume") { Workers = workers },
            new DataVolumeReconciler(client, caches, events, options, expectations, progressCache), time, logger);
        _settings = settings;
        _dataVolumes = dataVolumes;
        dataVolumes.Reconciled += (key, outcome, took) => Reconciled?.Invoke(key, outcome, took);

        string[] clusterKey = [ClusterSettingsReconciler.Key];
        settings
            .Watch(caches.StorageClasses, _ => clusterKey)
            .Watch(caches.CdiConfigs, _ => clusterKey)
            .Watch(caches.StorageProfiles, _ => clusterKey)
            .Watch(caches.LegacyConfigMaps, _ => clusterKey)
            .Watch(caches.CdiNamespace, _ => clusterKey);

        IEnumerable<DataVolumeKey> InProgress(object _) => caches.DataVolumes.Store.List()
            .Where(dv => dv.Status?.Phase is not (DataVolumePhase.Succeeded or DataVolumePhase.Failed))
            .Select(dv => new DataVolumeKey(dv.Metadata.Namespace!, dv.Metadata.Name!));
        dataVolumes
            .Watch(caches.DataVolumes, dv => [new DataVolumeKey(dv.Metadata.Namespace!, dv.Metadata.Name!)])
            .Watch(caches.Claims, c => Owner(c.Metadata))
            .Watch(caches.Pods, p => Owner(p.Metadata))
            .Watch(caches.StorageClasses, InProgress, start: false)
            .Watch(caches.CdiConfigs, InProgress, start: false)
            .Watch(caches.StorageProfiles, InProgress, start: false)
            .Watch(caches.LegacyConfigMaps, InProgress, start: false)
            .Watch(caches.Installations, InProgress);

        // The settings pass runs once at start even when nothing changes (a fresh cluster has no CDIConfig yet).
        settings.Enqueue(ClusterSettingsReconciler.Key);
        // Progress is polled beside the reconciles (a silent pod holds no worker); a changed report enqueues its DataVolume.
        var polling = progressCache.RunAsync(
            () => [.. caches.Pods.Store.List().Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null && Owner(p.Metadata).Any()
                && p.Metadata.Labels?.GetValueOrDefault(Annotations.RoleLabel) != Annotations.CloneSourceRole)],
            pod => { foreach (var key in Owner(pod.Metadata)) dataVolumes.Enqueue(key); },
            cancellationToken);
        await Task.WhenAll(settings.RunAsync(cancellationToken), dataVolumes.RunAsync(cancellationToken), polling, events.RunAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The DataVolume a claim or pod belongs to: its label, or for a scratch claim, its owner (the target claim).</summary>
    private static IEnumerable<DataVolumeKey> Owner(ObjectMeta meta)
    {
        if (meta.Labels?.GetValueOrDefault(Annotations.DataVolumeLabel) is { } dv)
        {
            // A clone source pod may run in the source's namespace: its label names the DataVolume's.
            yield return new DataVolumeKey(meta.Labels.GetValueOrDefault(Annotations.CloneTargetNamespaceLabel) ?? meta.Namespace!, dv);
        }
        else if (meta.OwnerReferences?.FirstOrDefault(r => r.Kind == "PersistentVolumeClaim") is { } owner)
        {
            yield return new DataVolumeKey(meta.Namespace!, owner.Name);
        }
    }
}
