using Cdi.Api.Config;
using Cdi.Api.DataVolumes;
using Cdi.Api.StorageProfiles;
using Cdi.Kube.Rest;

namespace Cdi.Api;

/// <summary>cdi's own resources, typed for <see cref="KubeClient"/>.</summary>
public static class CdiResources
{
    public static ResourceType<DataVolume> DataVolumes { get; } = new(
        new(DataVolume.Group, "v1beta1", "datavolumes", true, "DataVolume"), ApiJsonContext.Default.DataVolume, ApiJsonContext.Default.KubeListDataVolume);

    public static ResourceType<CdiConfig> CdiConfigs { get; } = new(
        new(DataVolume.Group, "v1beta1", "cdiconfigs", false, "CDIConfig"), ApiJsonContext.Default.CdiConfig, ApiJsonContext.Default.KubeListCdiConfig);

    public static ResourceType<Operator.CdiInstance> Cdis { get; } = new(
        new(DataVolume.Group, "v1beta1", "cdis", false, "CDI"), ApiJsonContext.Default.CdiInstance, ApiJsonContext.Default.KubeListCdiInstance);

    public static ResourceType<StorageProfile> StorageProfiles { get; } = new(
        new(DataVolume.Group, "v1beta1", "storageprofiles", false, "StorageProfile"), ApiJsonContext.Default.StorageProfile, ApiJsonContext.Default.KubeListStorageProfile);
}
