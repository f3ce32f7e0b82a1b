using System.Security.Cryptography;
using Cdi.Api.DataVolumes;
using Cdi.Api.Upload;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Storage;
using Cdi.Controller.Uploading;
using Cdi.Kube.Models;

namespace Cdi.Controller.Cloning;

/// <summary>
/// The host-assisted clone half of the DataVolume state machine, pure like <see cref="DataVolumeDecider"/>: the target
/// gets an upload server in clone mode (the upload path, no second data path), then a source pod in the source's
/// namespace streams the source volume into it. Phases <c>CloneScheduled</c> → <c>CloneInProgress</c> →
/// <c>Succeeded</c>. Before any of it: the clone token for a cross-namespace clone, a source that exists, and a
/// target at least as large as the source (unless <c>cdi.kubevirt.io/permissiveClone</c>); a source a running pod
/// uses makes the clone wait (upstream's <c>CloneSourceInUse</c>).
/// </summary>
public static class CloneDecider
{
    private static readonly TimeSpan PollWhileRunning = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WaitForSource = TimeSpan.FromSeconds(3);

    /// <summary>The source claim's namespace and name (the DataVolume's namespace when the source names none).</summary>
    public static (string Namespace, string Name) Source(DataVolume dv) =>
        (string.IsNullOrEmpty(dv.Spec.Source!.Pvc!.Namespace) ? dv.Metadata.Namespace! : dv.Spec.Source.Pvc.Namespace, dv.Spec.Source.Pvc.Name);

    /// <summary>
    /// Null when the clone may go on; otherwise what to do instead: fail (not configured, not authorized, a target
    /// too small), or wait (no source yet). Checked on every pass until the clone is done.
    /// </summary>
    internal static DataVolumeDecision? Precheck(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options)
    {
        var dv = o.DataVolume;
        var (ns, name) = Source(dv);
        if (string.IsNullOrWhiteSpace(options.CloneSigningKey))
        {
            return Failed(o, old, "ErrCloneNotConfigured", "clones need the clone-token signing key, and this controller was started without one");
        }
        if (ns != dv.Metadata.Namespace && TokenProblem(dv, ns, name, options) is { } problem)
        {
            return Failed(o, old, "CloneValidationFailed", $"clone from namespace {ns} refused: {problem}");
        }
        if (o.CloneSide?.Source is not { } source)
        {
            var message = $"source claim {ns}/{name} does not exist: the clone waits for it";
            var conditions = new ConditionSet(old.Conditions, o.Now);
            conditions.Set("Ready", false, "", "").Set("Bound", o.Claim?.Status?.Phase == "Bound", "CloneWithoutSource", message).Set("Running", false, "CloneWithoutSource", message);
            return DataVolumeDecider.Status(old, o.Claim is null ? DataVolumePhase.Pending : DataVolumePhase.CloneScheduled, "N/A", conditions, o,
                DataVolumeDecider.Event(old, "CloneWithoutSource", "Warning", "CloneWithoutSource", message)) with { RequeueAfter = WaitForSource };
        }
        var sourceUsable = CloneSize.SourceUsable(source, o.Settings);
        var storageClass = StorageClassResolver.ForDataVolume(dv, o.StorageClasses);
        var permissive = dv.Metadata.Annotations?.ContainsKey(Annotations.PermissiveClone) ?? false;
        if (!permissive && CloneSize.TargetUsable(dv, o.Settings, storageClass) is { } targetUsable && targetUsable < sourceUsable)
        {
            return Failed(o, old, "CloneValidationFailed",
                $"target is smaller than the source claim {ns}/{name}: {targetUsable} usable bytes requested, the source has {sourceUsable} (request at least that, or annotate {Annotations.PermissiveClone} when the data fits)");
        }
        return null;
    }

    /// <summary>The DataVolume as the claim is made from it: a sizeless clone takes the source's usable size.</summary>
    internal static DataVolume Sized(DataVolumeObservation o) =>
        o.CloneSide?.Source is { } source ? CloneSize.WithSourceSize(o.DataVolume, CloneSize.SourceUsable(source, o.Settings)) : o.DataVolume;

    private static string? TokenProblem(DataVolume dv, string ns, string name, ControllerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.UploadTokenPublicKey))
        {
            return "this controller has no key to check clone tokens with";
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(options.UploadTokenPublicKey);
        return CloneTokens.Problem(dv.Metadata.Annotations?.GetValueOrDefault(CloneTokens.Annotation), key, ns, name, dv.Metadata.Namespace!, dv.Metadata.Name!,
            dv.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue);
    }

    internal static DataVolumeDecision Decide(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions)
    {
        var dv = o.DataVolume;
        var claim = o.Claim!;
        var source = o.CloneSide!.Source!;
        var sourcePod = o.CloneSide.SourcePod;
        var (ns, name) = Source(dv);
        if (o.ImporterPod is not { } upload)
        {
            var scratch = o.ScratchClaim ?? ClaimFactory.Scratch(claim,
                StorageClassResolver.ResolveScratch(o.Settings.ScratchStorageClass, claim.Spec?.StorageClassName, o.StorageClasses));
            conditions.Set("Ready", false, "", "").Set("Running", false, "", "");
            return DataVolumeDecider.Status(old, DataVolumePhase.CloneScheduled, "N/A", conditions, o,
                [new PlannedEvent("Normal", "CloneScheduled", $"Cloning from {ns}/{name} into {dv.Metadata.Namespace}/{dv.Metadata.Name} scheduled")]) with
            {
                CreateScratch = o.ScratchClaim is null ? scratch : null,
                CreatePod = UploadPodFactory.Create(dv, claim, scratch, old.RestartCount ?? 0, options, o.Settings, clone: true),
                // A source pod still streaming into a replaced upload server is of no use.
                DeleteSourcePod = sourcePod is not null,
            };
        }
        var phase = upload.Status?.Phase;
        if (phase is "Succeeded" or "Failed")
        {
            return Finished(o, old, options, conditions, upload);
        }
        if (phase != "Running" || string.IsNullOrEmpty(upload.Status?.PodIP))
        {
            conditions.Set("Ready", false, "", "").Set("Running", false, "Pending", "the target's upload server is starting");
            return DataVolumeDecider.Status(old, DataVolumePhase.CloneScheduled, "N/A", conditions, o) with { RequeueAfter = PollWhileRunning };
        }
        if (sourcePod is null)
        {
            if (o.CloneSide.SourceUsers.Count > 0)
            {
                var message = $"source claim {ns}/{name} is in use by pod {string.Join(", ", o.CloneSide.SourceUsers)}: the clone waits until it is not";
                conditions.Set("Ready", false, "", "").Set("Running", false, "CloneSourceInUse", message);
                return DataVolumeDecider.Status(old, DataVolumePhase.CloneScheduled, "N/A", conditions, o,
                    DataVolumeDecider.Event(old, "CloneSourceInUse", "Warning", "CloneSourceInUse", message)) with { RequeueAfter = WaitForSource };
            }
            conditions.Set("Ready", false, "", "").Set("Running", false, "Pending", "the source pod is starting");
            return DataVolumeDecider.Status(old, DataVolumePhase.CloneScheduled, "N/A", conditions, o) with
            {
                CreateSourcePod = CloneSourcePodFactory.Create(dv, claim, source, upload.Status!.PodIP!, old.RestartCount ?? 0, options, o.Settings),
                RequeueAfter = PollWhileRunning,
            };
        }
        if (sourcePod.Status?.Phase == "Failed")
        {
            return SourceFailed(o, old, options, conditions, sourcePod);
        }
        if (sourcePod.Status?.Phase is "Running" or "Succeeded")
        {
            conditions.Set("Ready", false, "TransferRunning", "").Set("Running", true, "Pod is running", "");
            var progress = DataVolumeDecider.Percent(o.Progress) ?? (old.Progress is { } p && p != "N/A" ? p : "0.00%");
            var running = DataVolumeDecider.Status(old, DataVolumePhase.CloneInProgress, progress, conditions, o,
                DataVolumeDecider.Event(old, DataVolumePhase.CloneInProgress, "Normal", "CloneInProgress", $"Cloning from {ns}/{name} into {dv.Metadata.Namespace}/{dv.Metadata.Name} in progress"));
            return running with
            {
                Status = running.Status with { Transfer = DataVolumeDecider.Transfer(o.Progress) ?? running.Status.Transfer },
                RequeueAfter = PollWhileRunning,
            };
        }
        var waiting = sourcePod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
        conditions.Set("Ready", false, "", "").Set("Running", false, waiting?.Reason ?? "Pending", waiting?.Message ?? "the source pod is starting");
        return DataVolumeDecider.Status(old, DataVolumePhase.CloneScheduled, "N/A", conditions, o) with { RequeueAfter = PollWhileRunning };
    }

    /// <summary>The source pod failed (the stream broke, the volume could not be read): a new one sends again, as often as importers retry.</summary>
    private static DataVolumeDecision SourceFailed(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions, Pod sourcePod)
    {
        var terminated = ImporterResultReader.Terminated(sourcePod);
        var result = ImporterResultReader.Read(sourcePod);
        var message = result?.Message ?? ImporterResultReader.Problem(sourcePod)
            ?? (terminated?.Message?.Trim() is { Length: > 0 } m ? m : $"clone source exited with code {terminated?.ExitCode}");
        var reason = result?.Reason?.ToString() ?? terminated?.Reason ?? "Error";
        var restarts = old.RestartCount ?? 0;
        conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
        if (DataVolumeDecider.Attempt(sourcePod) is { } attempt && attempt < restarts)
        {
            // Counted already: only remove it.
            return DataVolumeDecider.Status(old, old.Phase ?? DataVolumePhase.CloneInProgress, old.Progress ?? "N/A", conditions, o) with { DeleteSourcePod = true };
        }
        // A source that cannot be cloned (no disk image, a refused stream) fails the same way again: only what may pass retries.
        if ((result?.Retryable ?? true) && restarts < options.MaxRetries)
        {
            var decision = DataVolumeDecider.Status(old, DataVolumePhase.CloneInProgress, old.Progress ?? "N/A", conditions, o);
            return decision with
            {
                DeleteSourcePod = true,
                Status = decision.Status with { RestartCount = restarts + 1 },
                Events = [new PlannedEvent("Warning", "CloneSourceFailed", $"Clone into {o.DataVolume.Metadata.Name} failed on the source side (attempt {restarts + 1} of {options.MaxRetries + 1}, retrying): {message}")],
            };
        }
        return Failed(o, old, result?.Reason?.ToString() ?? "CloneSourceFailed", message) with { DeleteSourcePod = true, DeletePod = true };
    }

    private static DataVolumeDecision Finished(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions, Pod upload)
    {
        var dv = o.DataVolume;
        var (ns, name) = Source(dv);
        var result = ImporterResultReader.Read(upload);
        var terminated = ImporterResultReader.Terminated(upload);
        var deleteSource = o.CloneSide?.SourcePod is not null;
        if (upload.Status?.Phase == "Succeeded" && result is { Succeeded: true })
        {
            conditions.Set("Ready", true, "", "").Set("Running", false, "Completed", "Clone Complete");
            var retain = dv.Metadata.Annotations?.GetValueOrDefault(Annotations.RetainPods) == "true";
            return DataVolumeDecider.Status(old, DataVolumePhase.Succeeded, "100.0%", conditions, o,
                [new PlannedEvent("Normal", "CloneSucceeded", $"Successfully cloned from {ns}/{name} into {dv.Metadata.Namespace}/{dv.Metadata.Name}")]) with
            {
                DeletePod = !retain,
                DeleteSourcePod = deleteSource && !retain,
                DeleteScratch = o.ScratchClaim is not null,
            };
        }
        var message = result?.Message ?? ImporterResultReader.Problem(upload) ?? terminated?.Message?.Trim() ?? $"upload server exited with code {terminated?.ExitCode}";
        var reason = result?.Reason?.ToString() ?? terminated?.Reason ?? "Error";
        var restarts = old.RestartCount ?? 0;
        conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
        if (DataVolumeDecider.Attempt(upload) is { } attempt && attempt < restarts)
        {
            return DataVolumeDecider.Status(old, old.Phase ?? DataVolumePhase.CloneScheduled, old.Progress ?? "N/A", conditions, o) with
            {
                DeletePod = true,
                DeleteSourcePod = deleteSource,
            };
        }
        if ((result?.Retryable ?? true) && restarts < options.MaxRetries)
        {
            return DataVolumeDecider.Status(old with { RestartCount = restarts + 1 }, DataVolumePhase.CloneScheduled, "N/A", conditions, o,
                [new PlannedEvent("Warning", "CloneFailed", $"Clone into {dv.Metadata.Name} failed on the target side, a new upload server is started: {message}")]) with
            {
                DeletePod = true,
                DeleteSourcePod = deleteSource,
            };
        }
        return Failed(o, old, reason, message) with { DeleteSourcePod = deleteSource };
    }

    private static DataVolumeDecision Failed(DataVolumeObservation o, DataVolumeStatus old, string reason, string message)
    {
        var failed = DataVolumeDecider.Fail(o, old, reason, message, deletePod: false);
        var repeat = old.Phase == DataVolumePhase.Failed;
        return failed with { Events = repeat ? [] : [new PlannedEvent("Warning", reason, $"Failed to clone into PVC {o.DataVolume.Metadata.Name}: {message}")] };
    }
}
