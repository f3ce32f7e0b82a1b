using Cdi.Api.DataVolumes;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Storage;
using Cdi.Kube.Models;

namespace Cdi.Controller.Uploading;

/// <summary>
/// The upload half of the DataVolume state machine, pure like <see cref="DataVolumeDecider"/> (which calls it once the
/// claim may be used): an upload server pod per claim, phases <c>UploadScheduled</c> → <c>UploadReady</c> →
/// <c>Succeeded</c>/<c>Failed</c>, and the claim annotations virtctl and the proxy read (<c>storage.upload.target</c>,
/// <c>storage.pod.ready</c>, <c>storage.pod.phase</c>). A failed upload pod is retried as importer pods are.
/// </summary>
public static class UploadDecider
{
    private static readonly TimeSpan PollWhileReady = TimeSpan.FromSeconds(2);

    internal static DataVolumeDecision Decide(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions)
    {
        var name = o.DataVolume.Metadata.Name!;
        if (string.IsNullOrWhiteSpace(options.UploadTokenPublicKey))
        {
            return DataVolumeDecider.Fail(o, old, "ErrUploadNotConfigured",
                "uploads need the upload-token verification key, and this controller was started without one", deletePod: false);
        }
        if (o.ImporterPod is not { } pod)
        {
            return Start(o, old, options, conditions);
        }
        var phase = pod.Status?.Phase;
        if (phase is "Succeeded" or "Failed")
        {
            return Finished(o, old, options, conditions, pod);
        }
        if (phase == "Running")
        {
            conditions.Set("Ready", false, "", "").Set("Running", true, "Pod is running", "");
            var progress = DataVolumeDecider.Percent(o.Progress) ?? (old.Progress is { } p && p != "N/A" ? p : "N/A");
            return DataVolumeDecider.Status(old, DataVolumePhase.UploadReady, progress, conditions, o,
                DataVolumeDecider.Event(old, DataVolumePhase.UploadReady, "Normal", "UploadReady", $"Upload into {name} ready")) with
            {
                ClaimAnnotations = State(ready: true, "Running"),
                RequeueAfter = PollWhileReady,
            };
        }
        var waiting = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
        var pending = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        conditions.Set("Ready", false, "", "").Set("Running", false, pending?.Reason ?? waiting?.Reason ?? "Pending", pending?.Message ?? waiting?.Message ?? "");
        return DataVolumeDecider.Status(old, DataVolumePhase.UploadScheduled, "N/A", conditions, o) with
        {
            ClaimAnnotations = State(ready: false, phase ?? "Pending"),
        };
    }

    private static DataVolumeDecision Start(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions)
    {
        var dv = o.DataVolume;
        var claim = o.Claim!;
        var scratch = o.ScratchClaim ?? ClaimFactory.Scratch(claim,
            StorageClassResolver.ResolveScratch(o.Settings.ScratchStorageClass, claim.Spec?.StorageClassName, o.StorageClasses));
        conditions.Set("Ready", false, "", "").Set("Running", false, "", "");
        return DataVolumeDecider.Status(old, DataVolumePhase.UploadScheduled, "N/A", conditions, o,
            [new PlannedEvent("Normal", "UploadScheduled", $"Upload into {dv.Metadata.Name} scheduled")]) with
        {
            CreateScratch = o.ScratchClaim is null ? scratch : null,
            CreatePod = UploadPodFactory.Create(dv, claim, scratch, old.RestartCount ?? 0, options, o.Settings),
            // Said before the pod runs: the proxy refuses claims that are not upload targets.
            ClaimAnnotations = State(ready: false, "Pending"),
        };
    }

    private static DataVolumeDecision Finished(DataVolumeObservation o, DataVolumeStatus old, ControllerOptions options, ConditionSet conditions, Pod pod)
    {
        var name = o.DataVolume.Metadata.Name!;
        var result = ImporterResultReader.Read(pod);
        var terminated = ImporterResultReader.Terminated(pod);
        if (pod.Status?.Phase == "Succeeded" && result is { Succeeded: true })
        {
            conditions.Set("Ready", true, "", "").Set("Running", false, "Completed", "Upload Complete");
            var retain = o.DataVolume.Metadata.Annotations?.GetValueOrDefault(Annotations.RetainPods) == "true";
            return DataVolumeDecider.Status(old, DataVolumePhase.Succeeded, "100.0%", conditions, o,
                [new PlannedEvent("Normal", "UploadSucceeded", $"Successfully uploaded into PVC {name}")]) with
            {
                ClaimAnnotations = State(ready: false, "Succeeded"),
                DeletePod = !retain,
                DeleteScratch = o.ScratchClaim is not null,
            };
        }
        var message = result?.Message ?? ImporterResultReader.Problem(pod) ?? terminated?.Message?.Trim() ?? $"upload server exited with code {terminated?.ExitCode}";
        var reason = result?.Reason?.ToString() ?? terminated?.Reason ?? "Error";
        var restarts = old.RestartCount ?? 0;
        var failedState = State(ready: false, "Failed");
        if (DataVolumeDecider.Attempt(pod) is { } attempt && attempt < restarts)
        {
            // Counted already (see the importer's rule): only remove it.
            conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
            return DataVolumeDecider.Status(old, old.Phase ?? DataVolumePhase.UploadScheduled, old.Progress ?? "N/A", conditions, o) with
            {
                DeletePod = true,
                ClaimAnnotations = failedState,
            };
        }
        if ((result?.Retryable ?? true) && restarts < options.MaxRetries)
        {
            // A new upload server takes the next upload; the client uploads again.
            conditions.Set("Ready", false, "", "").Set("Running", false, reason, message);
            return DataVolumeDecider.Status(old with { RestartCount = restarts + 1 }, DataVolumePhase.UploadScheduled, "N/A", conditions, o,
                [new PlannedEvent("Warning", "UploadFailed", $"Upload into {name} failed, a new upload server is started: {message}")]) with
            {
                DeletePod = true,
                ClaimAnnotations = failedState,
            };
        }
        var failed = DataVolumeDecider.Fail(o, old, reason, message, deletePod: false);
        return failed with
        {
            Events = [new PlannedEvent("Warning", "UploadFailed", $"Failed to upload into PVC {name}: {message}")],
            ClaimAnnotations = failedState,
        };
    }

    /// <summary>The claim annotations for the upload server's state.</summary>
    private static Dictionary<string, string> State(bool ready, string podPhase) => new()
    {
        [Annotations.UploadTarget] = "",
        [Annotations.PodReady] = ready ? "true" : "false",
        [Annotations.PodPhase] = podPhase,
    };
}
