using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.DataVolumes;

namespace Cdi.Cluster.Admission;

/// <summary>CDIConfig admission: <see cref="CdiConfigValidator"/> as a step of the local cluster's admission chain.</summary>
internal static class CdiConfigAdmission
{
    public static TypedAdmission<CdiConfig> Create() =>
        new("cdiconfigs." + DataVolume.Group, "CDIConfig", ApiJsonContext.Default.CdiConfig, (config, _, _) => TypedAdmission<CdiConfig>.Causes(CdiConfigValidator.Validate(config)));
}
