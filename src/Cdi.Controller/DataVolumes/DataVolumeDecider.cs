using System.Globalization;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;

namespace Cdi.Controller.DataVolumes;

/// <summary>
/// The DataVolume import state machine as one pure function of observed state: no I/O, no clock, no randomness, so
/// every branch is a table test. The reconciler observes, calls <see cref="Decide"/>, acts, and writes the status.
/// </summary>
public static class DataVolumeDecider
{
    private static readonly TimeSpan PollWhileRunning = TimeSpan.FromSeconds(2);

    public static DataVolumeDecision Decide(DataVolumeObservation o, ControllerOptions options)
    {
        var dv = o.DataVolume;
        var old = dv.Status ?? new DataVolumeStatus();
        var name = dv.Metadata.Name!;
        if (old.Phase is DataVolumePhase.Succeeded or DataVolumePhase.Failed)
        {
            return Terminal(o, old);
        }
        if (ImportSourceKind.Unsupported(dv) is { } unsupported)
        {
            return Fail(o, old, "ErrInvalidSource", unsupported, deletePod: false);
        }
        var clone = dv.Spec.Source?.Pvc is not null;
        if (clone && Cloning.CloneDecider.Precheck(o, old, options) is { } notYet)
        {
            return notYet;
        }
        if (o.Claim is null)
        {
            return DecideWithoutClaim(clone ? o with { DataVolume = Cloning.CloneDecider.Sized(o) } : o, old, options);
        }

        var claim = o.Claim;
        var claimClass = claim.Spec?.StorageClassName;
        var storageClass = StorageClassResolver.Find(claimClass, o.StorageClasses);
        var bound = claim.Status?.Phase == "Bound";
        var conditions = new ConditionSet(old.Conditions, o.Now);
        conditions.Set("Bound", bound, bound ? "Bound" : "Pending", bound ? $"PVC {name} Bound" : $"PVC {name} Pending");

        var immediate = dv.Metadata.Annotations?.GetValueOrDefault(Annotations.ImmediateBinding) is { } v && v != "false";
        if (!bound && storageClass?.VolumeBindingMode == "WaitForFirstConsumer" && !immediate)
        {
            conditions.Set("Ready", false, "", "").Set("Running", false, "", "");
            return Status(old, DataVolumePhase.WaitForFirstConsumer, "N/A", conditions, o,
                Event(old, DataVolumePhase.WaitForFirstConsumer, "Normal", "WaitForFirstConsumer", $"PVC {name} waits for its first consumer before it binds"));
        }
        if (!bound && !immediate)
        {
            conditions.Set("Ready", false, "", "").Set("Running", false, "", "");
            // "" names no class (static binding): nothing is missing, the claim waits for a volume without a class.
            var missing = !string.IsNullOrEmpty(claimClass) && storageClass is null;
            var why = missing ? $"storage class {claimClass} does not exist" : $"PVC {name} Pending";
            var pendingEvents = missing
                ? Event(old, DataVolumePhase.Pending, "Warning", "ErrClaimNotValid", why) : [];
            var d = Status(old, DataVolumePhase.Pending, "N/A", conditions, o, pendingEvents);
            return d with { Status = d.Status with { Conditions = Replace(d.Status.Conditions!, "Bound", c => c with { Message = why }) } };
        }

        if (dv.Spec.Source?.Upload is not null)
        {
            return Uploading.UploadDecider.Decide(o, old, options, conditions);
        }
        if (clone)
        {
            return Cloning.CloneDecider.Decide(o, old, options, conditions);
        }
        if (o.ImporterPod is not { } pod)
        {
            return DecideStart(o, old, options, conditions);
        }
        return DecideFromPod(o, old, options, conditions, pod);
    }

    private static DataVolumeDecision DecideWithoutClaim(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options)
    {
        var dv = o.DataVolume;
        var spec = dv.Spec.Pvc ?? dv.Spec.Storage;
        var conditions = new ConditionSet(old.Conditions, o.Now);
        if (spec is null)
        {
            return Fail(o, old, "ErrClaimNotValid", "DataVolume has neither spec.pvc nor spec.storage", deletePod: false);
        }
        if (ClaimFactory.RequestedStorage(spec) is null)
        {
            return Fail(o, old, "ErrClaimNotValid", "DataVolume does not request a size (resources.requests.storage)", deletePod: false);
        }
        if (dv.Spec.ContentType == "archive" && ClaimFactory.IsBlock(spec))
        {
            return Fail(o, old, "ErrClaimNotValid", "archive content needs a Filesystem volume, not Block", deletePod: false);
        }
        var storageClass = StorageClassResolver.ForDataVolume(dv, o.StorageClasses);
        if (storageClass is null)
        {
            const string message = "no storageClassName given and the cluster has no default storage class: name one in the DataVolume or mark a class default";
            conditions.Set("Ready", false, "", "").Set("Bound", false, "NoStorageClass", message).Set("Running", false, "", "");
            return Status(old, DataVolumePhase.Pending, "N/A", conditions, o,
                Event(old, "NoStorageClass", "Warning", "ErrNoStorageClass", message)) with { RequeueAfter = TimeSpan.FromSeconds(30) };
        }
        var properties = Properties(dv, StorageClassResolver.Find(storageClass, o.StorageClasses)?.Metadata.Name, o.Settings);
        if (properties.ProfilePending)
        {
            // The settings controller writes the profile's status on its next pass; its watch brings this DataVolume back.
            conditions.Set("Ready", false, "", "").Set("Bound", false, "Pending", $"waiting for StorageProfile {storageClass}").Set("Running", false, "", "");
            return Status(old, DataVolumePhase.Pending, "N/A", conditions, o);
        }
        if (properties.Problem is { } found)
        {
            // Upstream's ErrClaimNotValid: no claim is made on a guess. The StorageProfile and StorageClass watches bring
            // the DataVolume back when an administrator fixes either.
            var problem = spec.StorageClassName is { Length: > 0 } named && StorageClassResolver.Find(named, o.StorageClasses) is null
                ? $"{found} (storage class {named} does not exist)" : found;
            conditions.Set("Ready", false, "", "").Set("Bound", false, "ErrClaimNotValid", problem).Set("Running", false, "", "");
            return Status(old, DataVolumePhase.Pending, "N/A", conditions, o,
                Event(old, "ErrClaimNotValid", "Warning", "ErrClaimNotValid", problem == found ? properties.EventMessage ?? problem : problem));
        }
        conditions.Set("Ready", false, "", "").Set("Bound", false, "Pending", $"PVC {dv.Metadata.Name} Pending").Set("Running", false, "", "");
        var decision = Status(old, DataVolumePhase.Pending, "N/A", conditions, o);
        return decision with { CreateClaim = ClaimFactory.ForDataVolume(dv, storageClass, o.Settings.OverheadFor(storageClass), properties) };
    }

    /// <summary>
    /// Access and volume mode of the claim: <c>spec.storage</c> completed from the class's StorageProfile; <c>spec.pvc</c>
    /// as given, except a <c>FromStorageProfile</c> volume mode, which the profile resolves.
    /// </summary>
    private static ClaimProperties Properties(DataVolume dv, string? existingClass, Settings.EffectiveSettings settings)
    {
        var archive = dv.Spec.ContentType == "archive";
        if (dv.Spec.Pvc is { } pvc)
        {
            return pvc.VolumeMode == ClaimPropertiesResolver.FromStorageProfile
                ? ClaimPropertiesResolver.Resolve(pvc.AccessModes, null, existingClass, settings.ProfileFor(existingClass), archive)
                : new ClaimProperties { AccessModes = pvc.AccessModes ?? [], VolumeMode = pvc.VolumeMode };
        }
        var storage = dv.Spec.Storage!;
        return ClaimPropertiesResolver.Resolve(storage.AccessModes, storage.VolumeMode, existingClass, settings.ProfileFor(existingClass), archive);
    }

    private static DataVolumeDecision DecideStart(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions)
    {
        // Upstream's PVCBound: the claim is bound and no importer pod has a phase yet. The ImportScheduled event goes
        // with the pod's creation (the reconciler records it only when its create went through).
        var dv = o.DataVolume;
        var pod = ImporterPodFactory.Create(dv, o.Claim!, o.ScratchClaim, old.RestartCount ?? 0, options, o.Settings);
        conditions.Set("Ready", false, "", "").Set("Running", false, "", "");
        var decision = Status(old, DataVolumePhase.PvcBound, "N/A", conditions, o,
            [new PlannedEvent("Normal", "ImportScheduled", $"Import into {dv.Metadata.Name} scheduled")]);
        return decision with { CreatePod = pod };
    }

    /// <summary>
    /// The API server refused the planned importer pod (a quota, say): the status says why in the Running condition,
    /// with one Warning event when that condition first appears. The next decision that sees a pod, or creates one,
    /// replaces the condition, so nothing of the refusal outlives it.
    /// </summary>
    public static DataVolumeDecision PodRefused(DataVolumeObservation o, DataVolumeDecision planned, string message)
    {
        var old = o.DataVolume.Status ?? new DataVolumeStatus();
        var reason = message.Contains("quota", StringComparison.OrdinalIgnoreCase) ? "ErrExceededQuota" : "ErrStartingPod";
        var conditions = (planned.Status.Conditions ?? [])
            .Select(c => c.Type == "Running" ? c with { Status = "False", Reason = reason, Message = message } : c).ToList();
        var repeat = old.Conditions?.FirstOrDefault(c => c.Type == "Running") is { } running && running.Reason == reason && running.Message == message;
        return new DataVolumeDecision
        {
            Status = planned.Status with { Conditions = conditions },
            Events = repeat ? [] : [new PlannedEvent("Warning", reason, message)],
        };
    }

    /// <summary>A failure no retry fixes (found outside this decider, such as a spec it could not read): Failed, with an event.</summary>
    public static DataVolumeDecision Failure(DataVolumeObservation o, string reason, string message)
    {
        var old = o.DataVolume.Status ?? new DataVolumeStatus();
        var d = Fail(o, old, reason, message, deletePod: false);
        var repeat = old.Phase == DataVolumePhase.Failed && old.Conditions?.FirstOrDefault(c => c.Type == "Running")?.Message == message;
        return repeat ? d with { Events = [] } : d;
    }

    private static DataVolumeDecision DecideFromPod(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions, Pod pod)
    {
        var name = o.DataVolume.Metadata.Name!;
        var phase = pod.Status?.Phase;
        if (phase is "Succeeded" or "Failed")
        {
            return DecideFinished(o, old, options, conditions, pod);
        }
        if (phase == "Running")
        {
            conditions.Set("Ready", false, "TransferRunning", "").Set("Running", true, "Pod is running", "");
            var progress = Percent(o.Progress) ?? (old.Progress is { } op && op != "N/A" ? op : "0.00%");
            var running = Status(old, DataVolumePhase.ImportInProgress, progress, conditions, o,
                Event(old, DataVolumePhase.ImportInProgress, "Normal", "ImportInProgress", $"Import into {name} in progress"));
            return running with
            {
                Status = running.Status with { Transfer = Transfer(o.Progress) ?? running.Status.Transfer },
                RequeueAfter = PollWhileRunning,
            };
        }
        var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
        if (waiting?.Reason is "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName")
        {
            var message = $"failed to pull image: {pod.Spec?.Containers.FirstOrDefault()?.Image}: {waiting.Message}";
            conditions.Set("Ready", false, "", "").Set("Running", false, "ImagePullFailed", message);
            return Status(old, DataVolumePhase.ImportScheduled, "N/A", conditions, o,
                Event(old, "ImagePullFailed", "Warning", "ImagePullFailed", message)) with { RequeueAfter = PollWhileRunning };
        }
        var pending = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        // The pod exists and has not started: upstream's ImportScheduled.
        conditions.Set("Ready", false, "", "").Set("Running", false, pending?.Reason ?? waiting?.Reason ?? "Pending", pending?.Message ?? waiting?.Message ?? "");
        return Status(old, DataVolumePhase.ImportScheduled, "N/A", conditions, o) with { RequeueAfter = PollWhileRunning };
    }

    private static DataVolumeDecision DecideFinished(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions, Pod pod)
    {
        var name = o.DataVolume.Metadata.Name!;
        var result = ImporterResultReader.Read(pod);
        var terminated = ImporterResultReader.Terminated(pod);
        if (pod.Status?.Phase == "Succeeded" && result is { Succeeded: true })
        {
            // A registry mirror is named, so an administrator sees which endpoint served the image (seed 003).
            var complete = result.SourceUsed is { } used && used.Contains("(mirror of ", StringComparison.Ordinal) ? $"Import Complete from {used}" : "Import Complete";
            conditions.Set("Ready", true, "", "").Set("Running", false, "Completed", complete);
            var retain = o.DataVolume.Metadata.Annotations?.GetValueOrDefault(Annotations.RetainPods) == "true";
            return Status(old, DataVolumePhase.Succeeded, "100.0%", conditions, o,
                [new PlannedEvent("Normal", "ImportSucceeded", $"Successfully imported into PVC {name}")]) with
            {
                DeletePod = !retain,
                DeleteScratch = o.ScratchClaim is not null,
            };
        }
        if (result is { ScratchSpaceRequired: true } && o.ScratchClaim is null)
        {
            var scratchClass = StorageClassResolver.ResolveScratch(o.Settings.ScratchStorageClass, o.Claim!.Spec?.StorageClassName, o.StorageClasses);
            conditions.Set("Ready", false, "", "").Set("Running", false, "Scratch space required", result.Message);
            return Status(old, DataVolumePhase.ImportScheduled, "N/A", conditions, o,
                [new PlannedEvent("Normal", "CreatingScratchSpace", $"Import into {name} needs scratch space: creating PVC {ResourceNames.Scratch(o.Claim.Metadata.Name!)}")]) with
            {
                CreateScratch = ClaimFactory.Scratch(o.Claim, scratchClass),
                DeletePod = true,
            };
        }
        if (result is { ScratchSpaceRequired: true } && o.ScratchClaim is { } existing && !Mounts(pod, existing))
        {
            // This pod was made from a view that did not show the scratch claim yet: replace it (its successor mounts
            // the claim) without counting an attempt, since nothing failed that a retry would not fix.
            conditions.Set("Ready", false, "", "").Set("Running", false, "Scratch space required", result.Message);
            return Status(old, DataVolumePhase.ImportScheduled, "N/A", conditions, o) with { DeletePod = true };
        }
        // A pod that "succeeded" without a verified result is a failure, never a success.
        var message = result?.Message ?? ImporterResultReader.Problem(pod) ?? terminated?.Message?.Trim() ?? $"importer exited with code {terminated?.ExitCode}";
        var reason = result?.Reason?.ToString() ?? terminated?.Reason ?? "Error";
        var retryable = result?.Retryable ?? true;
        var restarts = old.RestartCount ?? 0;
        if (Attempt(pod) is { } attempt && attempt < restarts)
        {
            // This failed pod ran an attempt the status already counts (the delete after counting did not happen, or
            // this view of the pod is stale): remove it (the delete names its UID), count nothing.
            conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
            return Status(old, old.Phase ?? DataVolumePhase.ImportInProgress, old.Progress ?? "N/A", conditions, o) with { DeletePod = true };
        }
        if (retryable && restarts < options.MaxRetries)
        {
            var delay = Backoff(restarts, options);
            var finished = terminated?.FinishedAt ?? o.Now;
            var wait = finished + delay - o.Now;
            conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
            var decision = Status(old, DataVolumePhase.ImportInProgress, old.Progress ?? "N/A", conditions, o);
            if (wait > TimeSpan.Zero)
            {
                return decision with { RequeueAfter = wait };
            }
            // The count is written before the pod is deleted (the reconciler's order), so a crash in between loses no
            // attempt and the pod's attempt annotation keeps it from being counted twice.
            return decision with
            {
                DeletePod = true,
                Status = decision.Status with { RestartCount = restarts + 1 },
                Events = [new PlannedEvent("Warning", "ErrImportFailed", $"Unable to import into PVC {name} (attempt {restarts + 1} of {options.MaxRetries + 1}, retrying): {message}")],
            };
        }
        return Fail(o, old, reason, message, deletePod: false);
    }

    private static bool Mounts(Pod pod, PersistentVolumeClaim claim) =>
        pod.Spec?.Volumes?.Any(v => v.PersistentVolumeClaim?.ClaimName == claim.Metadata.Name) ?? false;

    /// <summary>The restart count the pod was created under (its attempt annotation); null for a pod without one.</summary>
    internal static int? Attempt(Pod pod) =>
        int.TryParse(pod.Metadata.Annotations?.GetValueOrDefault(Annotations.AttemptAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : null;

    /// <summary>Upstream's <c>NN.NN%</c> from the importer's bytes; null when it does not know its total.</summary>
    internal static string? Percent(ImportProgress? progress) =>
        progress is { BytesTotal: > 0 and var total } p
            ? Math.Clamp(p.BytesDone * 100.0 / total, 0, 100).ToString("0.00", CultureInfo.InvariantCulture) + "%"
            : null;

    /// <summary>The status's transfer detail from the worker's report; the ETA only when total and rate are known.</summary>
    internal static DataVolumeTransfer? Transfer(ImportProgress? progress)
    {
        if (progress is null)
        {
            return null;
        }
        long? rate = progress.BytesPerSecond is > 0 and var r and < long.MaxValue ? (long)r : null;
        long? eta = rate is { } perSecond && progress.BytesTotal is { } total && total >= progress.BytesDone
            ? (total - progress.BytesDone + perSecond - 1) / perSecond
            : null;
        return new DataVolumeTransfer
        {
            Phase = progress.Phase.ToString(),
            BytesDone = progress.BytesDone,
            BytesTotal = progress.BytesTotal,
            BytesWritten = progress.BytesWritten,
            BytesPerSecond = rate,
            EtaSeconds = eta,
        };
    }

    internal static TimeSpan Backoff(int restarts, ControllerOptions options)
    {
        var ticks = options.RetryDelay.Ticks * Math.Pow(2, Math.Min(restarts, 20));
        return TimeSpan.FromTicks((long)Math.Min(ticks, options.MaxRetryDelay.Ticks));
    }

    private static DataVolumeDecision Terminal(DataVolumeObservation o, DataVolumeStatus old)
    {
        // Nothing left to do but clean up after a success; a failed importer pod stays for its logs.
        var succeeded = old.Phase == DataVolumePhase.Succeeded;
        var retain = o.DataVolume.Metadata.Annotations?.GetValueOrDefault(Annotations.RetainPods) == "true";
        return new DataVolumeDecision
        {
            Status = old with { ClaimName = o.Claim?.Metadata.Name ?? old.ClaimName },
            DeletePod = succeeded && !retain && o.ImporterPod is not null,
            DeleteSourcePod = succeeded && !retain && o.CloneSide?.SourcePod is not null,
            DeleteScratch = o.ScratchClaim is not null,
        };
    }

    internal static DataVolumeDecision Fail(DataVolumeObservation o, DataVolumeStatus old, string reason, string message, bool deletePod)
    {
        var conditions = new ConditionSet(old.Conditions, o.Now);
        var bound = o.Claim?.Status?.Phase == "Bound";
        conditions.Set("Ready", false, reason, message)
            .Set("Bound", bound, bound ? "Bound" : o.Claim is null ? "NotFound" : "Pending", bound ? $"PVC {o.DataVolume.Metadata.Name} Bound" : "")
            .Set("Running", false, reason, message);
        var name = o.DataVolume.Metadata.Name;
        return Status(old, DataVolumePhase.Failed, old.Progress ?? "N/A", conditions, o,
            [new PlannedEvent("Warning", "ImportFailed", $"Failed to import into PVC {name}: {message}")]) with
        {
            DeletePod = deletePod,
            DeleteScratch = o.ScratchClaim is not null,
        };
    }

    internal static DataVolumeDecision Status(DataVolumeStatus old, string phase, string progress, ConditionSet conditions, DataVolumeObservation o,
        IReadOnlyList<PlannedEvent>? events = null) => new()
    {
        Status = new DataVolumeStatus
        {
            Phase = phase,
            Progress = progress,
            ClaimName = o.Claim?.Metadata.Name ?? (phase == DataVolumePhase.Pending ? null : old.ClaimName),
            RestartCount = old.RestartCount ?? 0,
            Conditions = conditions.Build(),
            // Rate and ETA describe a worker that is running now; the byte counts remain as its last report left them.
            Transfer = old.Transfer is { } t ? t with { BytesPerSecond = null, EtaSeconds = null } : null,
        },
        Events = events ?? [],
    };

    /// <summary>An event only on entering a phase (or a distinct situation), so re-reconciles do not repeat it.</summary>
    internal static PlannedEvent[] Event(DataVolumeStatus old, string situation, string type, string reason, string message) =>
        old.Phase == situation || Situation(old) == situation ? [] : [new PlannedEvent(type, reason, message)];

    private static string? Situation(DataVolumeStatus old) => old.Conditions?.FirstOrDefault(c => c.Type == "Running")?.Reason switch
    {
        "ImagePullFailed" => "ImagePullFailed",
        _ => old.Conditions?.FirstOrDefault(c => c.Type == "Bound")?.Reason,
    };

    private static List<DataVolumeCondition> Replace(List<DataVolumeCondition> list, string type, Func<DataVolumeCondition, DataVolumeCondition> change) =>
        [.. list.Select(c => c.Type == type ? change(c) : c)];
}
