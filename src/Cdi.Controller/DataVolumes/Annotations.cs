namespace Cdi.Controller.DataVolumes;

/// <summary>Upstream annotation and label names, kept only where compatibility needs them.</summary>
public static class Annotations
{
    public const string ImmediateBinding = "cdi.kubevirt.io/storage.bind.immediate.requested";
    public const string RetainPods = "cdi.kubevirt.io/storage.pod.retainAfterCompletion";
    public const string DefaultStorageClass = "storageclass.kubernetes.io/is-default-class";
    public const string DefaultVirtStorageClass = "storageclass.kubevirt.io/is-default-virt-class";
    public const string AppLabel = "app";
    public const string AppLabelValue = "containerized-data-importer";
    public const string DataVolumeLabel = "cdi.kubevirt.io/datavolume";
    public const string RoleLabel = "cdi.kubevirt.io";
    public const string ImporterRole = "importer";
    public const string AttemptAnnotation = "cdi.kubevirt.io/importer.attempt";
    public const string UploadServerRole = "cdi-upload-server";

    /// <summary>On the claim: it takes uploads (the proxy refuses claims without it).</summary>
    public const string UploadTarget = "cdi.kubevirt.io/storage.upload.target";

    /// <summary>On the claim: "true" while its upload server can take data (virtctl waits for it).</summary>
    public const string PodReady = "cdi.kubevirt.io/storage.pod.ready";

    /// <summary>On the claim: the upload pod's phase; Succeeded stays after the pod is gone (virtctl waits for it).</summary>
    public const string PodPhase = "cdi.kubevirt.io/storage.pod.phase";
}
