using System.Text.Json.Nodes;
using Cdi.Kube.Models;

namespace Cdi.Kube.Rest;

/// <summary>The resources cdi touches, typed; <see cref="Unstructured"/> for anything else (CRs such as DataVolume).</summary>
public static class KubeResources
{
    private static readonly KubeJsonContext Json = KubeJsonContext.Default;

    public static ResourceType<Namespace> Namespaces { get; } =
        new(new("", "v1", "namespaces", false, "Namespace"), Json.Namespace, Json.KubeListNamespace);
    public static ResourceType<Pod> Pods { get; } = new(new("", "v1", "pods", true, "Pod"), Json.Pod, Json.KubeListPod);
    public static ResourceType<PersistentVolumeClaim> PersistentVolumeClaims { get; } =
        new(new("", "v1", "persistentvolumeclaims", true, "PersistentVolumeClaim"), Json.PersistentVolumeClaim, Json.KubeListPersistentVolumeClaim);
    public static ResourceType<PersistentVolume> PersistentVolumes { get; } =
        new(new("", "v1", "persistentvolumes", false, "PersistentVolume"), Json.PersistentVolume, Json.KubeListPersistentVolume);
    public static ResourceType<StorageClass> StorageClasses { get; } =
        new(new("storage.k8s.io", "v1", "storageclasses", false, "StorageClass"), Json.StorageClass, Json.KubeListStorageClass);
    public static ResourceType<Event> Events { get; } = new(new("", "v1", "events", true, "Event"), Json.Event, Json.KubeListEvent);
    public static ResourceType<ConfigMap> ConfigMaps { get; } =
        new(new("", "v1", "configmaps", true, "ConfigMap"), Json.ConfigMap, Json.KubeListConfigMap);
    public static ResourceType<Secret> Secrets { get; } = new(new("", "v1", "secrets", true, "Secret"), Json.Secret, Json.KubeListSecret);
    public static ResourceType<Service> Services { get; } =
        new(new("", "v1", "services", true, "Service"), Json.Service, Json.KubeListService);
    public static ResourceType<ResourceQuota> ResourceQuotas { get; } =
        new(new("", "v1", "resourcequotas", true, "ResourceQuota"), Json.ResourceQuota, Json.KubeListResourceQuota);
    public static ResourceType<LimitRange> LimitRanges { get; } =
        new(new("", "v1", "limitranges", true, "LimitRange"), Json.LimitRange, Json.KubeListLimitRange);
    public static ResourceType<Node> Nodes { get; } = new(new("", "v1", "nodes", false, "Node"), Json.Node, Json.KubeListNode);
    public static ResourceType<VolumeAttachment> VolumeAttachments { get; } =
        new(new("storage.k8s.io", "v1", "volumeattachments", false, "VolumeAttachment"), Json.VolumeAttachment, Json.KubeListVolumeAttachment);
    public static ResourceType<CSIDriver> CsiDrivers { get; } =
        new(new("storage.k8s.io", "v1", "csidrivers", false, "CSIDriver"), Json.CSIDriver, Json.KubeListCSIDriver);
    public static ResourceType<Lease> Leases { get; } =
        new(new("coordination.k8s.io", "v1", "leases", true, "Lease"), Json.Lease, Json.KubeListLease);
    public static ResourceType<VolumeSnapshot> VolumeSnapshots { get; } =
        new(new("snapshot.storage.k8s.io", "v1", "volumesnapshots", true, "VolumeSnapshot"), Json.VolumeSnapshot, Json.KubeListVolumeSnapshot);

    /// <summary>Any resource as raw JSON, for custom resources and kinds without a model.</summary>
    public static ResourceType<JsonObject> Unstructured(string group, string version, string plural, bool namespaced, string kind) =>
        new(new(group, version, plural, namespaced, kind), Json.JsonObject, Json.KubeListJsonObject);
}
