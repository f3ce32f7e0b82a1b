using System.Globalization;
using Cdi.Api.DataVolumes;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>
/// An upload DataVolume whose server has been ready for a long time without a byte arriving: nobody is uploading, or
/// the client cannot reach the upload proxy. Timed from the Running condition's transition (when the server became
/// ready) to when the snapshot was taken, so a dump is judged as of its own time. An upload that received some bytes
/// and then stopped is not said: the status does not record when the last byte came.
/// </summary>
public sealed class UploadStalledRule : IDoctorRule
{
    /// <summary>Far longer than a client takes to start sending once the server is ready (virtctl starts at once).</summary>
    public static readonly TimeSpan StalledAfter = TimeSpan.FromMinutes(10);

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        if (index.Snapshot.TakenAt is not { } now)
        {
            yield break;
        }
        foreach (var dv in index.DataVolumes.Where(d => d.Phase == DataVolumePhase.UploadReady))
        {
            var running = dv.Condition("Running");
            if (running is not { Status: "True", LastTransitionTime: { } readySince } || now - readySince < StalledAfter || ReceivedBytes(dv.DataVolume.Status!))
            {
                continue;
            }
            var waited = now - readySince;
            yield return new Finding
            {
                Id = FindingIds.UploadStalled,
                Severity = Severity.Warning,
                Object = dv.Ref,
                Summary = $"the upload server has been ready for {Minutes(waited)} minutes and no byte has arrived",
                Evidence =
                [
                    Evidence.Field("status.phase", dv.Phase),
                    Evidence.Field("status.progress", dv.DataVolume.Status!.Progress ?? "N/A"),
                    $"condition Running=True since {readySince.ToString("u", CultureInfo.InvariantCulture)} ({Minutes(waited)} min before the snapshot)",
                ],
                Remedy = $"upload the image: cdi upload --dv {dv.Name} -n {dv.Namespace} --no-create --image-path FILE "
                    + $"(or virtctl image-upload dv {dv.Name} -n {dv.Namespace} --no-create --image-path=FILE); if a client is sending, "
                    + "check it reaches the upload proxy (kubectl get cdiconfig config -o jsonpath='{.status.uploadProxyURL}'); "
                    + $"or, if no upload is coming, kubectl delete dv {dv.Name} -n {dv.Namespace}",
                DataVolume = dv.Key,
            };
        }
    }

    /// <summary>Whether any byte reached the server: its byte counts, or a progress above zero.</summary>
    private static bool ReceivedBytes(DataVolumeStatus status) =>
        status.Transfer is { BytesDone: > 0 } or { BytesWritten: > 0 }
        || (double.TryParse(status.Progress?.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent > 0);

    private static long Minutes(TimeSpan t) => (long)t.TotalMinutes;
}
