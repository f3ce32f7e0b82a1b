using Cdi.Api.Contracts;
using Cdi.Importer.Core.Cloning;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Worker.Results;

/// <summary>The <see cref="ImporterResult"/>s a worker reports, with the exit code that goes with each.</summary>
internal static class ImporterResults
{
    public static ImporterResult Success(ImportResult r, string message) => new()
    {
        Version = ImporterResult.CurrentVersion,
        Succeeded = true,
        Message = message,
        Format = r.Format?.ToString().ToLowerInvariant(),
        VirtualSize = r.VirtualSize,
        BytesRead = r.BytesRead,
        BytesWritten = r.BytesWritten,
        Preallocated = r.Preallocated,
        Checksum = r.Checksum,
        SourceUsed = r.SourceUsed,
    };

    /// <summary>A clone source's outcome: what it sent, or why it could not, in the same contract as the target's.</summary>
    public static (ImporterResult, int) Clone(CloneSendResult r)
    {
        if (r.Reason is { } reason)
        {
            var (failed, code) = Failure(new ImportException(reason, r.Message));
            return (failed with { BytesRead = r.Bytes }, code);
        }
        return (new()
        {
            Version = ImporterResult.CurrentVersion,
            Succeeded = true,
            Message = r.Message.ReplaceLineEndings(" "),
            Format = "raw",
            BytesRead = r.Bytes,
        }, 0);
    }

    public static (ImporterResult, int) Failure(ImportException e) => (new()
    {
        Version = ImporterResult.CurrentVersion,
        Succeeded = false,
        Reason = ImporterFailureReasonMap.ToContract(e.Reason),
        Message = e.Message.ReplaceLineEndings(" "),
        Retryable = ImportFailureReasons.IsRetryable(e.Reason),
        ScratchSpaceRequired = e.Reason == ImportFailureReason.ScratchSpaceRequired,
    }, ImportFailureReasons.ExitCode(e.Reason));

    /// <summary>The dedicated result for a spec the importer will not work from: not retryable, the same spec fails again.</summary>
    public static ImporterResult InvalidSpec(string problem) => new()
    {
        Version = ImporterResult.CurrentVersion,
        Succeeded = false,
        Reason = ImporterFailureReason.InvalidSpec,
        Message = problem.ReplaceLineEndings(" "),
        Retryable = false,
    };
}
