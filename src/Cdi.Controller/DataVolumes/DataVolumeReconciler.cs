using System.Text.Json;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Runtime;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Controller.DataVolumes;

/// <summary>
/// Level-based: every call reads the DataVolume and what it owns fresh from the API server, asks the pure
/// <see cref="DataVolumeDecider"/> what to do, does it, and writes the status. Safe to run again at any point:
/// creates tolerate AlreadyExists, deletes tolerate NotFound, status writes retry on conflict.
/// </summary>
public sealed class DataVolumeReconciler(KubeClient client, EventRecorder events, ControllerOptions options, Func<EffectiveSettings> settings)
{
    private readonly Dictionary<DataVolumeKey, string> _podCreateErrors = [];
    private readonly Lock _lock = new();

    public async Task<ReconcileResult> ReconcileAsync(DataVolumeKey key, CancellationToken cancellationToken)
    {
        var dv = await client.TryGetAsync(CdiResources.DataVolumes, key.Name, key.Namespace, cancellationToken).ConfigureAwait(false);
        if (dv is null || dv.Metadata.DeletionTimestamp is not null)
        {
            // Owner references take the claim, pods and scratch with it.
            return ReconcileResult.Done;
        }
        var observation = await ObserveAsync(dv, key, cancellationToken).ConfigureAwait(false);
        var decision = DataVolumeDecider.Decide(observation, options);
        await ActAsync(dv, key, observation, decision, cancellationToken).ConfigureAwait(false);
        return new ReconcileResult(decision.RequeueAfter);
    }

    private async Task<DataVolumeObservation> ObserveAsync(DataVolume dv, DataVolumeKey key, CancellationToken cancellationToken)
    {
        var claim = await client.TryGetAsync(KubeResources.PersistentVolumeClaims, key.Name, key.Namespace, cancellationToken).ConfigureAwait(false);
        if (claim is not null && !OwnedBy(claim.Metadata, dv))
        {
            claim = null;
        }
        Pod? pod = null;
        PersistentVolumeClaim? scratch = null;
        if (claim is not null)
        {
            pod = await client.TryGetAsync(KubeResources.Pods, ResourceNames.ImporterPod(key.Name), key.Namespace, cancellationToken).ConfigureAwait(false);
            if (pod?.Metadata.DeletionTimestamp is not null)
            {
                pod = null;
            }
            scratch = await client.TryGetAsync(KubeResources.PersistentVolumeClaims, ResourceNames.Scratch(key.Name), key.Namespace, cancellationToken).ConfigureAwait(false);
        }
        var classes = (await client.ListAsync(KubeResources.StorageClasses, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        double? progress = pod?.Status?.Phase == "Running" ? await ReadProgressAsync(pod, cancellationToken).ConfigureAwait(false) : null;
        string? refused;
        lock (_lock)
        {
            _podCreateErrors.TryGetValue(key, out refused);
        }
        return new DataVolumeObservation(dv, claim, pod, scratch, classes, settings(), progress, refused,
            client.TimeProvider.GetUtcNow());
    }

    private async Task ActAsync(DataVolume dv, DataVolumeKey key, DataVolumeObservation o, DataVolumeDecision d, CancellationToken cancellationToken)
    {
        if (d.CreateClaim is { } claim)
        {
            await CreateAsync(KubeResources.PersistentVolumeClaims, claim, cancellationToken).ConfigureAwait(false);
        }
        if (d.CreateScratch is { } scratch)
        {
            await CreateAsync(KubeResources.PersistentVolumeClaims, scratch, cancellationToken).ConfigureAwait(false);
        }
        if (d.DeletePod && o.ImporterPod is { } oldPod)
        {
            await DeleteAsync(KubeResources.Pods, oldPod.Metadata.Name!, key.Namespace, cancellationToken).ConfigureAwait(false);
        }
        if (d.DeleteScratch && o.ScratchClaim is { } oldScratch)
        {
            await DeleteAsync(KubeResources.PersistentVolumeClaims, oldScratch.Metadata.Name!, key.Namespace, cancellationToken).ConfigureAwait(false);
        }
        if (d.CreatePod is { } pod)
        {
            try
            {
                await CreateAsync(KubeResources.Pods, pod, cancellationToken).ConfigureAwait(false);
                SetPodCreateError(key, null);
            }
            catch (KubeApiException e) when (e.Code is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.UnprocessableEntity)
            {
                // Recorded and shown by the next decision; the status below still says "scheduled".
                // Shown by the next decision; the queue retries with backoff.
                var message = e.Status.Message ?? e.Message;
                var first = o.PodCreateError != message;
                SetPodCreateError(key, message);
                if (!first)
                {
                    await WriteStatusAsync(dv, d.Status, cancellationToken).ConfigureAwait(false);
                    await RecordAsync(dv, d.Events, cancellationToken).ConfigureAwait(false);
                }
                throw new PodRefusedException(message, e);
            }
        }
        await WriteStatusAsync(dv, d.Status, cancellationToken).ConfigureAwait(false);
        await RecordAsync(dv, d.Events, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(DataVolume dv, IReadOnlyList<PlannedEvent> planned, CancellationToken cancellationToken)
    {
        foreach (var e in planned)
        {
            await events.RecordAsync(dv, e.Type, e.Reason, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    private void SetPodCreateError(DataVolumeKey key, string? message)
    {
        lock (_lock)
        {
            if (message is null)
            {
                _podCreateErrors.Remove(key);
            }
            else
            {
                _podCreateErrors[key] = message;
            }
        }
    }

    private async Task WriteStatusAsync(DataVolume dv, DataVolumeStatus status, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Serialize(status with { Conditions = Strip(status.Conditions) }, ApiJsonContext.Default.Options)
            == JsonSerializer.Serialize((dv.Status ?? new()) with { Conditions = Strip(dv.Status?.Conditions) }, ApiJsonContext.Default.Options))
        {
            return;
        }
        var current = dv;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.UpdateStatusAsync(CdiResources.DataVolumes, current with { Status = status }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < 5)
            {
                // Someone else wrote the DataVolume; our status is computed from the spec, which a re-read keeps.
                current = await client.GetAsync(CdiResources.DataVolumes, dv.Metadata.Name!, dv.Metadata.Namespace, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Heartbeat times change on every pass; they alone are no reason to write.</summary>
    private static List<DataVolumeCondition>? Strip(List<DataVolumeCondition>? conditions) =>
        conditions?.Select(c => c with { LastHeartbeatTime = null }).ToList();

    private async Task<double?> ReadProgressAsync(Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var log = await client.GetPodLogsAsync(pod.Metadata.Namespace!, pod.Metadata.Name!, new PodLogOptions { TailLines = 20 }, cancellationToken).ConfigureAwait(false);
            return ProgressParser.LastPercent(log);
        }
        catch (KubeApiException)
        {
            return null;
        }
    }

    private async Task CreateAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await client.CreateAsync(type, obj, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            // A previous pass (or a controller before a restart) created it: the next observation sees it.
        }
    }

    private async Task DeleteAsync<T>(ResourceType<T> type, string name, string ns, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await client.DeleteAsync(type, name, ns, new DeleteOptions { PropagationPolicy = "Background" }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private static bool OwnedBy(ObjectMeta meta, DataVolume dv) =>
        meta.OwnerReferences?.Any(r => r.Uid == dv.Metadata.Uid) ?? false;
}
