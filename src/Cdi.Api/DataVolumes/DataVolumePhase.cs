namespace Cdi.Api.DataVolumes;

/// <summary>Upstream's phase names (strings on the wire).</summary>
public static class DataVolumePhase
{
    public const string Pending = "Pending";
    public const string PvcBound = "PVCBound";
    public const string ImportScheduled = "ImportScheduled";
    public const string ImportInProgress = "ImportInProgress";
    public const string UploadScheduled = "UploadScheduled";
    public const string UploadReady = "UploadReady";
    public const string CloneScheduled = "CloneScheduled";
    public const string CloneInProgress = "CloneInProgress";
    public const string WaitForFirstConsumer = "WaitForFirstConsumer";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";
}
