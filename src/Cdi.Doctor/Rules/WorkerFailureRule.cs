using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Workers;

namespace Cdi.Doctor.Rules;

/// <summary>
/// Seed 000 #2 (the importer fails or restarts): the worker's own typed reason says why, so the finding names the
/// cause (checksum, TLS, credentials, a missing image, a source that is down) and quotes the worker verbatim.
/// </summary>
public sealed class WorkerFailureRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var dv in index.DataVolumes)
        {
            if (WorkerFailureReader.Read(dv, index) is not { } failure)
            {
                continue;
            }
            var diagnosis = WorkerFailureClassifier.Classify(failure, dv, index);
            List<string> evidence = [failure.Evidence];
            if (dv.DataVolume.Status?.RestartCount is > 0 and var restarts)
            {
                evidence.Add(Evidence.Field("status.restartCount", restarts));
            }
            evidence.AddRange(dv.Warnings.Take(2).Select(Evidence.Of));
            yield return new Finding
            {
                Id = diagnosis.Id,
                // A failure the worker will retry may still clear; one that ended the import will not.
                Severity = dv.Failed || !failure.Retryable ? Severity.Error : Severity.Warning,
                Object = dv.Ref,
                Summary = diagnosis.Summary,
                Evidence = evidence,
                Remedy = diagnosis.Remedy,
                DataVolume = dv.Key,
            };
        }
    }
}
