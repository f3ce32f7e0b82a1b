using System.Globalization;
using Cdi.Api.Config;
using Cdi.Api.StorageProfiles;
using Cdi.Kube.Models;

namespace Cdi.Controller.Settings;

/// <summary>The cluster settings a DataVolume decision needs, resolved from CDIConfig status and StorageProfiles.</summary>
public sealed record EffectiveSettings(
    decimal GlobalOverhead,
    IReadOnlyDictionary<string, decimal> ClassOverhead,
    ResourceRequirements PodResources,
    string? ScratchStorageClass,
    bool Preallocation,
    IReadOnlyDictionary<string, IReadOnlyList<ClaimPropertySet>> Profiles,
    IReadOnlyList<string>? InsecureRegistries = null,
    IReadOnlyList<string>? RegistryMirrors = null)
{
    /// <summary>CDIConfig <c>spec.allowedNetworks</c>: private ranges importers may reach (the SSRF guard's allow-list).</summary>
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary>CDIConfig <c>spec.denyPrivateNetworks</c>: the strict guard (default false: only cloud metadata is denied).</summary>
    public bool DenyPrivateNetworks { get; init; }

    /// <summary>CDIConfig <c>spec.importProxy</c>, or null for direct connections.</summary>
    public ImportProxySettings? ImportProxy { get; init; }

    /// <summary>Worker pod placement and pull secrets (CDI <c>spec.workload</c>, CDIConfig <c>imagePullSecrets</c>).</summary>
    public Workers.WorkerPlacement Placement { get; init; } = Workers.WorkerPlacement.None;

    /// <summary>Registry host[:port] entries that may use plain HTTP or unverified TLS (CDIConfig plus the legacy ConfigMap).</summary>
    public IReadOnlyList<string> InsecureRegistryHosts => InsecureRegistries ?? [];

    /// <summary>Mirrors as <c>REGISTRY=MIRROR[/PREFIX]</c>, the importer spec's form.</summary>
    public IReadOnlyList<string> RegistryMirrorRules => RegistryMirrors ?? [];

    public decimal OverheadFor(string? storageClass) =>
        storageClass is not null && ClassOverhead.TryGetValue(storageClass, out var o) ? o : GlobalOverhead;

    /// <summary>The class's StorageProfile <c>status.claimPropertySets</c>, all of them in order; null while it has no status.</summary>
    public IReadOnlyList<ClaimPropertySet>? ProfileFor(string? storageClass) =>
        storageClass is not null && Profiles.TryGetValue(storageClass, out var p) ? p : null;

    public static EffectiveSettings Defaults(ControllerOptions options) =>
        new(options.FilesystemOverhead, new Dictionary<string, decimal>(), options.PodResources, null, false, new Dictionary<string, IReadOnlyList<ClaimPropertySet>>());

    /// <param name="legacyInsecureRegistries">The values of the legacy <c>cdi-insecure-registries</c> ConfigMap, if it exists.</param>
    public static EffectiveSettings From(CdiConfig? config, IEnumerable<StorageProfile> profiles, ControllerOptions options,
        IEnumerable<string>? legacyInsecureRegistries = null)
    {
        var status = config?.Status;
        var global = Parse(status?.FilesystemOverhead?.Global) ?? options.FilesystemOverhead;
        var perClass = (status?.FilesystemOverhead?.StorageClass ?? [])
            .Select(kv => (kv.Key, Value: Parse(kv.Value)))
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key, kv => kv.Value!.Value);
        var sets = profiles
            .Where(p => p.Status is not null)
            .ToDictionary(p => p.Metadata.Name!, p => (IReadOnlyList<ClaimPropertySet>)(p.Status!.ClaimPropertySets ?? []));
        return new EffectiveSettings(global, perClass, status?.DefaultPodResourceRequirements ?? options.PodResources,
            string.IsNullOrEmpty(status?.ScratchSpaceStorageClass) ? null : status.ScratchSpaceStorageClass, status?.Preallocation ?? false, sets,
            InsecureRegistries: (config?.Spec?.InsecureRegistries ?? []).Concat(legacyInsecureRegistries ?? [])
                .Select(h => h.Trim()).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            RegistryMirrors: (config?.Spec?.RegistryMirrors ?? []).Where(kv => kv.Key.Length > 0 && !string.IsNullOrWhiteSpace(kv.Value))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.Trim()}").ToList())
        {
            AllowedNetworks = config?.Spec?.AllowedNetworks ?? [],
            DenyPrivateNetworks = config?.Spec?.DenyPrivateNetworks ?? false,
            ImportProxy = ImportProxySettings.From(config?.Spec?.ImportProxy),
        };
    }

    private static decimal? Parse(string? text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v is >= 0 and < 1 ? v : null;
}
