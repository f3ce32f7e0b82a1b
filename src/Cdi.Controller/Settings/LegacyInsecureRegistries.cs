using Cdi.Kube.Models;

namespace Cdi.Controller.Settings;

/// <summary>
/// The <c>cdi-insecure-registries</c> ConfigMap in cdi's namespace, which upstream replaced with CDIConfig
/// <c>spec.insecureRegistries</c> but which older instructions (seed 001) still use: every data value is a host[:port].
/// </summary>
public static class LegacyInsecureRegistries
{
    public const string Name = "cdi-insecure-registries";
    public const string Namespace = "cdi";

    public static IReadOnlyList<string> Hosts(ConfigMap? configMap) =>
        (configMap?.Data ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Value.Trim()).Where(v => v.Length > 0).ToList();
}
