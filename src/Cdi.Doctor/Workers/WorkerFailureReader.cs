using Cdi.Api.Contracts;
using Cdi.Controller.Importing;
using Cdi.Doctor.Analysis;

namespace Cdi.Doctor.Workers;

/// <summary>Reads a DataVolume's worker failure: typed first (result record, then condition), log text last.</summary>
public static class WorkerFailureReader
{
    private static readonly HashSet<string> ReasonNames = [.. Enum.GetNames<ImporterFailureReason>()];

    public static WorkerFailure? Read(DataVolumeContext dv, SnapshotIndex index)
    {
        // A clone refused for want of a clone token is a permission problem, not a worker's failure (no worker ran).
        if (dv.Finished || CloneRefusal.TokenRefused(dv))
        {
            return null;
        }
        var pod = dv.WorkerPod;
        if (pod is not null && ImporterResultReader.Read(pod) is { Succeeded: false, Reason: { } reason } result)
        {
            return new WorkerFailure(reason, result.Message, result.Retryable,
                $"pod/{pod.Metadata.Name} result: reason={reason} retryable={result.Retryable.ToString().ToLowerInvariant()}: {Evidence.OneLine(result.Message)}");
        }
        var running = dv.Condition("Running");
        if (running is { Status: "False", Reason: { } name } && ReasonNames.Contains(name))
        {
            var typed = Enum.Parse<ImporterFailureReason>(name);
            // The condition does not carry the retryable flag: a DataVolume that has not failed is being retried.
            return new WorkerFailure(typed, running.Message ?? "", !dv.Failed, Evidence.Of(running));
        }
        if (pod is not null && ImporterResultReader.Terminated(pod) is { ExitCode: not 0 } terminated)
        {
            // No typed result (an old or crashed worker): its termination message is then the log's tail.
            var tail = LastLine(terminated.Message) ?? LastLine(index.Snapshot.WorkerLogs.GetValueOrDefault($"{dv.Namespace}/{pod.Metadata.Name}"));
            return new WorkerFailure(null, tail ?? $"exit code {terminated.ExitCode}", !dv.Failed,
                $"pod/{pod.Metadata.Name} terminated with exit code {terminated.ExitCode}: {tail}");
        }
        if (pod?.Status?.Phase == "Running" && RetryWarning(index.Snapshot.WorkerLogs.GetValueOrDefault($"{dv.Namespace}/{pod.Metadata.Name}")) is { } warning)
        {
            // A running worker has no result yet; its log says when it retries a source it cannot reach.
            return new WorkerFailure(ImporterFailureReason.SourceUnavailable, warning, true, $"pod/{pod.Metadata.Name} log: {warning}");
        }
        if (dv.Failed && running is { Status: "False" })
        {
            return new WorkerFailure(null, running.Message ?? "", false, Evidence.Of(running));
        }
        return null;
    }

    /// <summary>The worker's last <c>warning: cannot reach …; retrying in …</c> line, if its log ends in retries.</summary>
    private static string? RetryWarning(string? log) =>
        log?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(l => l.StartsWith("warning: cannot reach ", StringComparison.Ordinal) && l.Contains("; retrying in ", StringComparison.Ordinal));

    private static string? LastLine(string? text) =>
        text?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
