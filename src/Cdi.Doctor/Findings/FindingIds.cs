namespace Cdi.Doctor.Findings;

/// <summary>The finding ids: a contract (scripts match on them), so they never change once released.</summary>
public static class FindingIds
{
    // Importer not created (seed 000 #1)
    public const string QuotaRequiresLimits = "quota-requires-limits";
    public const string QuotaExceeded = "quota-exceeded";

    // Importer failing or restarting (seed 000 #2)
    public const string RegistryUnreachable = "registry-unreachable";
    public const string RegistryTlsUntrusted = "registry-tls-untrusted";
    public const string RegistryNotInsecureListed = "registry-not-insecure-listed";
    public const string RegistryAuthFailed = "registry-auth-failed";
    public const string ImageNotFound = "image-not-found";
    public const string SourceUnreachable = "source-unreachable";
    public const string ChecksumMismatch = "checksum-mismatch";
    public const string ImageRejected = "image-rejected";
    public const string WorkerImagePullFailed = "worker-image-pull-failed";

    // Stuck Pending/ContainerCreating (seed 000 #3)
    public const string NoDefaultStorageClass = "no-default-storageclass";
    public const string MultipleDefaultStorageClasses = "multiple-default-storageclasses";
    public const string StorageClassMissing = "storageclass-missing";
    public const string PvcUnbound = "pvc-unbound";
    public const string ScratchStorageClassInvalid = "scratch-storageclass-invalid";
    public const string WffcNoConsumer = "wffc-no-consumer";
    public const string VolumeMountFailed = "volume-mount-failed";
    public const string NetworkPolicyBlocksWorker = "network-policy-blocks-worker";

    // Seed 003
    public const string ImagePullRateLimited = "image-pull-rate-limited";
    public const string ImagePullClosedNetwork = "image-pull-closed-network";
    public const string RegistryMoved = "registry-moved";
    public const string NfsStatdNotRunning = "nfs-statd-not-running";
    public const string VolumePermissionTimeoutRisk = "volume-permission-timeout-risk";
    public const string PvResizeNotReflected = "pv-resize-not-reflected";
    public const string NodeDiskPressure = "node-disk-pressure";
    public const string KmemAccountingFailure = "kmem-accounting-failure";

    // Seed 004
    public const string CsiAttachmentNameCollision = "csi-attachment-name-collision";

    // Any DataVolume
    public const string ImportFailed = "import-failed";
    public const string ImportRetrying = "import-retrying";
    public const string UploadStalled = "upload-stalled";
    public const string ClonePermissionDenied = "clone-permission-denied";

    // The doctor's own
    public const string SnapshotIncomplete = "snapshot-incomplete";
}
