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

    /// <summary>Upstream marks worker pods for its metrics scraping with this label (value "true").</summary>
    public const string PrometheusLabel = "prometheus.cdi.kubevirt.io";
    public const string ImporterRole = "importer";
    public const string AttemptAnnotation = "cdi.kubevirt.io/importer.attempt";
    public const string UploadServerRole = "cdi-upload-server";
    public const string CloneSourceRole = "cdi-clone-source";

    /// <summary>Upstream's label on a clone source pod (its spelling): <c>&lt;target claim UID&gt;-source-pod</c>.</summary>
    public const string CloneUniqueIdLabel = "cdi.kubevirt.io/storage.clone.cloneUniqeId";

    /// <summary>On a clone source pod: the DataVolume's namespace (the pod may run in another, without an owner reference).</summary>
    public const string CloneTargetNamespaceLabel = "cdi.kubevirt.io/clone.targetNamespace";

    /// <summary>On the DataVolume: clone into a target smaller than the source (the data must still fit).</summary>
    public const string PermissiveClone = "cdi.kubevirt.io/permissiveClone";

    /// <summary>On the claim: it takes uploads (the proxy refuses claims without it).</summary>
    public const string UploadTarget = "cdi.kubevirt.io/storage.upload.target";

    /// <summary>On the claim: "true" while its upload server can take data (virtctl waits for it).</summary>
    public const string PodReady = "cdi.kubevirt.io/storage.pod.ready";

    /// <summary>On the claim: the upload pod's phase; Succeeded stays after the pod is gone (virtctl waits for it).</summary>
    public const string PodPhase = "cdi.kubevirt.io/storage.pod.phase";
}
