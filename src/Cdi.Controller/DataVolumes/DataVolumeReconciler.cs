using System.Net;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Cloning;
using Cdi.Controller.Importing;
using Cdi.Controller.Runtime;
using Cdi.Controller.Storage;
using Cdi.Kube.Events;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;

namespace Cdi.Controller.DataVolumes;

/// <summary>
/// Level-based: every pass reads the DataVolume and what it owns from the informer caches, asks the pure
/// <see cref="DataVolumeDecider"/> what to do, does it, and writes the status when it changed. Nothing a decision needs
/// lives in this process: what happened is in the API (status, conditions, owned objects, the pod's attempt annotation).
/// <list type="bullet">
/// <item>Writes carry the cached object's resourceVersion; a 409 goes to the runtime, which requeues, and the next pass
/// decides again from the fresher cache. A status is never recomputed from a re-read and PUT.</item>
/// <item>Intent before destruction: the status (restart count, Succeeded) is written before the pod is deleted, and
/// deletes name the UID seen, so a stale cache never deletes a newer object of the same name.</item>
/// <item>Expectations: after creating or deleting an object, its absence or presence in a lagging cache is not acted on.</item>
/// </list>
/// </summary>
public sealed class DataVolumeReconciler(
    KubeClient client, ControllerCaches caches, EventRecorder events, ControllerOptions options, Expectations expectations,
    ImportProgressCache? progress = null) : IReconciler<DataVolumeKey>
{

    public async Task<ReconcileResult> ReconcileAsync(DataVolumeKey key, CancellationToken cancellationToken)
    {
        var dv = caches.DataVolumes.Store.Get(key.Namespace, key.Name);
        if (dv is null || dv.Metadata.DeletionTimestamp is not null)
        {
            // Owner references take the claim, pods and scratch with it; a clone source pod in another namespace has
            // none (Kubernetes forbids them across namespaces): it is found by its labels.
            ForgetExpectations(key);
            await DeleteCloneSourcePodsAsync(key, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }
        if (!ExpectationsMet(key, dv))
        {
            // Our own create or delete is not in the cache yet: its watch event brings the key back.
            return ReconcileResult.After(expectations.Timeout);
        }
        if (caches.CdiConfig?.Status is null)
        {
            // The settings controller has not computed CDIConfig's status yet (a fresh cluster): claims sized and pods
            // configured now would ignore it. Its watch requeues every DataVolume in progress once it is written.
            return ReconcileResult.Done;
        }
        var pod = caches.Pods.Store.Get(key.Namespace, WorkerPodName(dv, key));
        if (pod?.Metadata.DeletionTimestamp is not null)
        {
            // A pod on its way out still holds the name; its deletion event brings the key back.
            return ReconcileResult.Done;
        }
        var observation = Observe(dv, key, pod);
        if (dv.Spec.Source?.Pvc is not null)
        {
            observation = observation with { CloneSide = await ObserveCloneAsync(dv, observation.Claim, cancellationToken).ConfigureAwait(false) };
        }
        DataVolumeDecision decision;
        try
        {
            decision = DataVolumeDecider.Decide(observation, options);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidOperationException)
        {
            // The decider is pure: the same spec fails the same way on every pass, so backing off would only hide it.
            throw new TerminalReconcileException("ErrInvalidSpec", $"cannot act on the DataVolume's spec: {e.Message}", e);
        }
        return await ActAsync(dv, key, observation, decision, cancellationToken).ConfigureAwait(false);
    }

    public async Task RecordTerminalAsync(DataVolumeKey key, TerminalReconcileException failure, CancellationToken cancellationToken)
    {
        if (caches.DataVolumes.Store.Get(key.Namespace, key.Name) is not { } dv || dv.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        var pod = caches.Pods.Store.Get(key.Namespace, WorkerPodName(dv, key));
        var observation = Observe(dv, key, pod);
        var decision = DataVolumeDecider.Failure(observation, failure.Reason, failure.Message);
        if (await WriteStatusAsync(dv, decision.Status, cancellationToken).ConfigureAwait(false))
        {
            await RecordAsync(dv, decision.Events, cancellationToken).ConfigureAwait(false);
        }
    }

    private DataVolumeObservation Observe(DataVolume dv, DataVolumeKey key, Pod? pod)
    {
        var claim = caches.Claims.Store.Get(key.Namespace, key.Name);
        if (claim is not null && !OwnedBy(claim.Metadata, dv.Metadata.Uid))
        {
            claim = null;
        }
        // The importer pod and scratch claim belong to the claim: a leftover of a deleted namesake is not ours.
        if (claim is null || (pod is not null && !OwnedBy(pod.Metadata, claim.Metadata.Uid)))
        {
            pod = null;
        }
        var scratch = claim is null ? null : caches.Claims.Store.Get(key.Namespace, ResourceNames.Scratch(key.Name));
        if (scratch is not null && !OwnedBy(scratch.Metadata, claim!.Metadata.Uid))
        {
            scratch = null;
        }
        var reported = pod?.Status?.Phase == "Running" ? progress?.Get(pod) : null;
        return new DataVolumeObservation(dv, claim, pod, scratch, caches.StorageClasses.Store.List(), caches.Settings(options), reported,
            client.TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// A clone's source side, read from the API rather than the caches: the source claim and the pods using it are the
    /// user's (without cdi's label, so no informer holds them). Only for clones that are not finished: one read per
    /// pass, two until the source pod exists.
    /// </summary>
    private async Task<CloneObservation> ObserveCloneAsync(DataVolume dv, PersistentVolumeClaim? target, CancellationToken cancellationToken)
    {
        var (ns, name) = CloneDecider.Source(dv);
        var sourcePod = target?.Metadata.Uid is { } uid ? caches.Pods.Store.Get(ns, ResourceNames.CloneSourcePod(uid)) : null;
        if (sourcePod?.Metadata.Labels?.GetValueOrDefault(Annotations.CloneTargetNamespaceLabel) != dv.Metadata.Namespace)
        {
            sourcePod = null;
        }
        if (dv.Status?.Phase is DataVolumePhase.Succeeded or DataVolumePhase.Failed)
        {
            // A finished clone only cleans up (its source pod, from the cache): no reads of the source side.
            return new CloneObservation(null, [], sourcePod);
        }
        var source = await client.TryGetAsync(KubeResources.PersistentVolumeClaims, name, ns, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> users = [];
        if (source is not null && target is not null && sourcePod is null)
        {
            // Only needed before the source pod starts: a claim another pod writes to is not copied (upstream's CloneSourceInUse).
            var pods = await client.ListAsync(KubeResources.Pods, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            users = [.. pods.Items.Where(p => UsesForWriting(p, name)).Select(p => p.Metadata.Name!)];
        }
        return new CloneObservation(source, users, sourcePod);
    }

    /// <summary>A pod that has not finished and mounts the claim other than read-only (clone sources mount it read-only).</summary>
    private static bool UsesForWriting(Pod pod, string claim) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null
        && (pod.Spec?.Volumes?.Any(v => v.PersistentVolumeClaim is { } c && c.ClaimName == claim && c.ReadOnly != true) ?? false);

    private async Task DeleteCloneSourcePodsAsync(DataVolumeKey key, CancellationToken cancellationToken)
    {
        foreach (var pod in caches.Pods.Store.List().Where(p =>
                     p.Metadata.Labels?.GetValueOrDefault(Annotations.RoleLabel) == Annotations.CloneSourceRole
                     && p.Metadata.Labels.GetValueOrDefault(Annotations.CloneTargetNamespaceLabel) == key.Namespace
                     && p.Metadata.Labels.GetValueOrDefault(Annotations.DataVolumeLabel) == key.Name
                     && p.Metadata.DeletionTimestamp is null))
        {
            await DeleteAsync(KubeResources.Pods, pod, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ReconcileResult> ActAsync(DataVolume dv, DataVolumeKey key, DataVolumeObservation o, DataVolumeDecision d,
        CancellationToken cancellationToken)
    {
        // A claim that already exists although the cache did not show it: this pass decided from a lagging view (it
        // would, say, replace a pod and then make the next one without the scratch claim). Decide again once it shows.
        if (d.CreateClaim is { } claim && !await CreateAsync(KubeResources.PersistentVolumeClaims, claim, key.Namespace, cancellationToken).ConfigureAwait(false))
        {
            return ReconcileResult.Backoff;
        }
        if (d.CreateScratch is { } scratch && !await CreateAsync(KubeResources.PersistentVolumeClaims, scratch, key.Namespace, cancellationToken).ConfigureAwait(false))
        {
            return ReconcileResult.Backoff;
        }
        if (d.CreatePod is { } pod)
        {
            try
            {
                if (!await CreateAsync(KubeResources.Pods, pod, key.Namespace, cancellationToken).ConfigureAwait(false))
                {
                    // The pod exists although the cache did not show it: decide again once the cache catches up.
                    return ReconcileResult.Backoff;
                }
                // Said now: a status write that loses a race below must not lose the news of a pod that exists.
                await RecordAsync(dv, d.Events, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.Code is HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity)
            {
                // Refused (a quota, say): said in the status, once as an event; retried with backoff, since an
                // administrator may raise the quota. Nothing of it is kept here: the next pass reads the status.
                var refused = DataVolumeDecider.PodRefused(o, d, e.Status.Message ?? e.Message);
                if (await WriteStatusAsync(dv, refused.Status, cancellationToken).ConfigureAwait(false))
                {
                    await RecordAsync(dv, refused.Events, cancellationToken).ConfigureAwait(false);
                }
                return ReconcileResult.Backoff;
            }
        }
        if (d.CreateSourcePod is { } sourcePod && o.Claim is { } cloneTarget)
        {
            // Minted now, not by the decider: a signature is not a pure function, and the token's five minutes start here.
            var token = CloneStreamTokens.Mint(options.CloneSigningKey!, cloneTarget, client.TimeProvider.GetUtcNow());
            if (!await CreateAsync(KubeResources.Pods, CloneSourcePodFactory.WithToken(sourcePod, token), sourcePod.Metadata.Namespace!, cancellationToken).ConfigureAwait(false))
            {
                return ReconcileResult.Backoff;
            }
        }
        if (d.ClaimAnnotations is { } wanted && o.Claim is { } target)
        {
            await AnnotateClaimAsync(target, wanted, cancellationToken).ConfigureAwait(false);
        }
        var written = await WriteStatusAsync(dv, d.Status, cancellationToken).ConfigureAwait(false);
        if (d.DeletePod && o.ImporterPod is { } oldPod)
        {
            await DeleteAsync(KubeResources.Pods, oldPod, cancellationToken).ConfigureAwait(false);
        }
        if (d.DeleteSourcePod && o.CloneSide?.SourcePod is { } oldSourcePod)
        {
            await DeleteAsync(KubeResources.Pods, oldSourcePod, cancellationToken).ConfigureAwait(false);
        }
        if (d.DeleteScratch && o.ScratchClaim is { } oldScratch)
        {
            await DeleteAsync(KubeResources.PersistentVolumeClaims, oldScratch, cancellationToken).ConfigureAwait(false);
        }
        // Events go with what they describe: a transition written (a created pod's went with its create).
        if (written && d.CreatePod is null)
        {
            await RecordAsync(dv, d.Events, cancellationToken).ConfigureAwait(false);
        }
        return d.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    /// <summary>The pod that fills the claim: an upload server for an upload or a clone, an importer otherwise.</summary>
    private static string WorkerPodName(DataVolume dv, DataVolumeKey key) =>
        dv.Spec.Source?.Upload is not null || dv.Spec.Source?.Pvc is not null ? ResourceNames.UploadPod(key.Name) : ResourceNames.ImporterPod(key.Name);

    /// <summary>Sets the annotations on the cached claim when any differs (its resourceVersion guards the write: a 409 requeues).</summary>
    private async Task AnnotateClaimAsync(PersistentVolumeClaim claim, IReadOnlyDictionary<string, string> wanted, CancellationToken cancellationToken)
    {
        var current = claim.Metadata.Annotations ?? [];
        if (wanted.All(w => current.TryGetValue(w.Key, out var v) && v == w.Value))
        {
            return;
        }
        var merged = new Dictionary<string, string>(current);
        foreach (var (k, v) in wanted)
        {
            merged[k] = v;
        }
        await client.UpdateAsync(KubeResources.PersistentVolumeClaims, claim with { Metadata = claim.Metadata with { Annotations = merged } }, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(DataVolume dv, IReadOnlyList<PlannedEvent> planned, CancellationToken cancellationToken)
    {
        foreach (var e in planned)
        {
            await events.RecordAsync(dv, e.Type, e.Reason, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the status with the cached object's resourceVersion when it differs from the cached one (heartbeats
    /// aside); a 409 propagates. True when written.
    /// </summary>
    private async Task<bool> WriteStatusAsync(DataVolume dv, DataVolumeStatus status, CancellationToken cancellationToken)
    {
        if (Comparable(status) == Comparable(dv.Status ?? new()))
        {
            return false;
        }
        await client.UpdateStatusAsync(CdiResources.DataVolumes, dv with { Status = status }, cancellationToken).ConfigureAwait(false);
        // Until the DataVolume cache shows this write, a pass would decide from the status before it: after writing
        // Succeeded and deleting the pod, say, it would see no pod and an unfinished import, and start another.
        if (dv.Metadata.ResourceVersion is { } writtenOver)
        {
            expectations.ExpectNewerThan(StatusKey(dv.Metadata.Namespace!, dv.Metadata.Name!), writtenOver);
        }
        return true;
    }

    /// <summary>Heartbeat times change on every pass; they alone are no reason to write.</summary>
    private static string Comparable(DataVolumeStatus status) => JsonSerializer.Serialize(
        status with { Conditions = status.Conditions?.Select(c => c with { LastHeartbeatTime = null }).ToList() }, ApiJsonContext.Default.Options);

    /// <summary>Creates and expects to see the object; false when it already existed (the cache lags).</summary>
    private async Task<bool> CreateAsync<T>(ResourceType<T> type, T obj, string ns, CancellationToken cancellationToken) where T : class, IKubeObject
    {
        try
        {
            var created = await client.CreateAsync(type, obj, ns, cancellationToken).ConfigureAwait(false);
            expectations.ExpectCreated(ObjectKey(type, ns, created.Metadata.Name!), created.Metadata.Uid!);
            return true;
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Deletes exactly the object seen (a UID precondition), and expects it gone.</summary>
    private async Task DeleteAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken) where T : class, IKubeObject
    {
        var meta = obj.Metadata;
        try
        {
            await client.DeleteAsync(type, meta.Name!, meta.Namespace, new DeleteOptions
            {
                PropagationPolicy = "Background",
                Preconditions = new Preconditions { Uid = meta.Uid },
            }, cancellationToken).ConfigureAwait(false);
            expectations.ExpectDeleted(ObjectKey(type, meta.Namespace!, meta.Name!), meta.Uid!);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or the name now holds a newer object (the precondition failed): not ours to delete.
        }
    }

    /// <param name="dv">The DataVolume this pass read from the cache: its resourceVersion meets the status expectation.</param>
    private bool ExpectationsMet(DataVolumeKey key, DataVolume dv)
    {
        var claim = caches.Claims.Store.Get(key.Namespace, key.Name);
        var scratch = caches.Claims.Store.Get(key.Namespace, ResourceNames.Scratch(key.Name));
        var pod = caches.Pods.Store.Get(key.Namespace, ResourceNames.ImporterPod(key.Name));
        var uploadPod = caches.Pods.Store.Get(key.Namespace, ResourceNames.UploadPod(key.Name));
        // Every check runs (no short circuit), so each met or expired expectation is dropped.
        var claimMet = expectations.Satisfied(ObjectKey(KubeResources.PersistentVolumeClaims, key.Namespace, key.Name), claim?.Metadata.Uid);
        var scratchMet = expectations.Satisfied(ObjectKey(KubeResources.PersistentVolumeClaims, key.Namespace, ResourceNames.Scratch(key.Name)), scratch?.Metadata.Uid);
        var podMet = expectations.Satisfied(ObjectKey(KubeResources.Pods, key.Namespace, ResourceNames.ImporterPod(key.Name)), pod?.Metadata.Uid);
        var uploadPodMet = expectations.Satisfied(ObjectKey(KubeResources.Pods, key.Namespace, ResourceNames.UploadPod(key.Name)), uploadPod?.Metadata.Uid);
        var statusMet = expectations.Satisfied(StatusKey(key.Namespace, key.Name), dv.Metadata.ResourceVersion);
        var sourcePodMet = true;
        if (dv.Spec.Source?.Pvc is not null && claim?.Metadata.Uid is { } uid)
        {
            var (sourceNs, _) = CloneDecider.Source(dv);
            var name = ResourceNames.CloneSourcePod(uid);
            sourcePodMet = expectations.Satisfied(ObjectKey(KubeResources.Pods, sourceNs, name), caches.Pods.Store.Get(sourceNs, name)?.Metadata.Uid);
        }
        return claimMet && scratchMet && podMet && uploadPodMet && statusMet && sourcePodMet;
    }

    private void ForgetExpectations(DataVolumeKey key)
    {
        expectations.Forget(ObjectKey(KubeResources.PersistentVolumeClaims, key.Namespace, key.Name));
        expectations.Forget(ObjectKey(KubeResources.PersistentVolumeClaims, key.Namespace, ResourceNames.Scratch(key.Name)));
        expectations.Forget(ObjectKey(KubeResources.Pods, key.Namespace, ResourceNames.ImporterPod(key.Name)));
        expectations.Forget(ObjectKey(KubeResources.Pods, key.Namespace, ResourceNames.UploadPod(key.Name)));
        expectations.Forget(StatusKey(key.Namespace, key.Name));
    }

    private static string StatusKey(string ns, string name) => $"datavolumes/status/{ns}/{name}";

    private static string ObjectKey<T>(ResourceType<T> type, string ns, string name) where T : class =>
        $"{type.Descriptor.Plural}/{ns}/{name}";

    private static bool OwnedBy(ObjectMeta meta, string? uid) =>
        meta.OwnerReferences?.Any(r => r.Uid == uid) ?? false;
}
