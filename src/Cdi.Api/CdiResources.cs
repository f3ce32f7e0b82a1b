using Cdi.Api.DataVolumes;
using Cdi.Kube.Rest;

namespace Cdi.Api;

/// <summary>cdi's own resources, typed for <see cref="KubeClient"/>.</summary>
public static class CdiResources
{
    public static ResourceType<DataVolume> DataVolumes { get; } = new(
        new(DataVolume.Group, "v1beta1", "datavolumes", true, "DataVolume"), ApiJsonContext.Default.DataVolume, ApiJsonContext.Default.KubeListDataVolume);
}
