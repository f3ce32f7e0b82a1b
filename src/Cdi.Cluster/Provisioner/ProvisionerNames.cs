namespace Cdi.Cluster.Provisioner;

/// <summary>Names the provisioner and pod runner share with the API server and with Kubernetes conventions.</summary>
public static class ProvisionerNames
{
    public const string Provisioner = "cdi.local/hostpath";
    public const string ImmediateClass = "local";
    public const string WaitForFirstConsumerClass = "local-wffc";
    public const string WaitForFirstConsumer = "WaitForFirstConsumer";
    public const string DefaultClassAnnotation = "storageclass.kubernetes.io/is-default-class";
    public const string SelectedNodeAnnotation = "volume.kubernetes.io/selected-node";
    public const string ProvisionedByAnnotation = "pv.kubernetes.io/provisioned-by";
    public const string StorageProvisionerAnnotation = "volume.kubernetes.io/storage-provisioner";
    public const string BindCompletedAnnotation = "pv.kubernetes.io/bind-completed";
    public const string BoundByControllerAnnotation = "pv.kubernetes.io/bound-by-controller";
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";
}
