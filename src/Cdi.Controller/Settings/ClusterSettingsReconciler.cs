using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.StorageProfiles;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Controller.Settings;

/// <summary>
/// Keeps CDIConfig <c>config</c> and one StorageProfile per StorageClass in step with the cluster's storage classes, and
/// hands the DataVolume reconciler the effective settings. Level-based and idempotent like the rest.
/// </summary>
public sealed class ClusterSettingsReconciler(KubeClient client, ControllerOptions options)
{
    public async Task<EffectiveSettings> ReconcileAsync(CancellationToken cancellationToken)
    {
        var classes = (await client.ListAsync(KubeResources.StorageClasses, cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        CdiConfig? config;
        try
        {
            config = await EnsureConfigAsync(classes, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The CDIConfig CRD is not installed: run on defaults.
            return EffectiveSettings.Defaults(options);
        }
        var profiles = await EnsureProfilesAsync(classes, cancellationToken).ConfigureAwait(false);
        return EffectiveSettings.From(config, profiles, options, LegacyInsecureRegistries.Hosts(await LegacyConfigMapAsync(cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>
    /// The legacy insecure-registries ConfigMap; absent or unreadable (no RBAC for it) counts as empty. When cdi's namespace
    /// exists, an empty one is created, so seed 001's <c>kubectl patch configmap cdi-insecure-registries -n cdi</c> works.
    /// </summary>
    private async Task<ConfigMap?> LegacyConfigMapAsync(CancellationToken cancellationToken)
    {
        try
        {
            var existing = await client.TryGetAsync(KubeResources.ConfigMaps, LegacyInsecureRegistries.Name, LegacyInsecureRegistries.Namespace,
                cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return existing;
            }
            var empty = new ConfigMap { Metadata = new ObjectMeta { Name = LegacyInsecureRegistries.Name, Namespace = LegacyInsecureRegistries.Namespace } };
            return await client.CreateAsync(KubeResources.ConfigMaps, empty, LegacyInsecureRegistries.Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Reason is KubeErrorReason.Forbidden or KubeErrorReason.NotFound or KubeErrorReason.AlreadyExists)
        {
            return null;
        }
    }

    private async Task<CdiConfig> EnsureConfigAsync(IReadOnlyList<StorageClass> classes, CancellationToken cancellationToken)
    {
        var config = await client.TryGetAsync(CdiResources.CdiConfigs, CdiConfig.SingletonName, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (config is null)
        {
            try
            {
                config = await client.CreateAsync(CdiResources.CdiConfigs, new CdiConfig { Metadata = new ObjectMeta { Name = CdiConfig.SingletonName }, Spec = new() },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                config = await client.GetAsync(CdiResources.CdiConfigs, CdiConfig.SingletonName, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        var status = ClusterSettingsDecider.ConfigStatus(config.Spec, classes, options);
        if (!Same(status, config.Status))
        {
            config = await UpdateStatusAsync(config with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
        return config;
    }

    private async Task<CdiConfig> UpdateStatusAsync(CdiConfig config, CancellationToken cancellationToken)
    {
        try
        {
            return await client.UpdateStatusAsync(CdiResources.CdiConfigs, config, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // Changed meanwhile; the next pass recomputes from the newer spec.
            return config;
        }
    }

    private async Task<List<StorageProfile>> EnsureProfilesAsync(IReadOnlyList<StorageClass> classes, CancellationToken cancellationToken)
    {
        var existing = (await client.ListAsync(CdiResources.StorageProfiles, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .ToDictionary(p => p.Metadata.Name!);
        var result = new List<StorageProfile>();
        foreach (var sc in classes)
        {
            var name = sc.Metadata.Name!;
            if (!existing.TryGetValue(name, out var profile))
            {
                try
                {
                    profile = await client.CreateAsync(CdiResources.StorageProfiles, new StorageProfile { Metadata = new ObjectMeta { Name = name }, Spec = new() },
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (KubeApiException e) when (e.IsAlreadyExists)
                {
                    profile = await client.GetAsync(CdiResources.StorageProfiles, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            var status = ClusterSettingsDecider.ProfileStatus(profile.Spec, sc);
            if (JsonSerializer.Serialize(status, ApiJsonContext.Default.Options) != JsonSerializer.Serialize(profile.Status ?? new(), ApiJsonContext.Default.Options))
            {
                try
                {
                    profile = await client.UpdateStatusAsync(CdiResources.StorageProfiles, profile with { Status = status }, cancellationToken).ConfigureAwait(false);
                }
                catch (KubeApiException e) when (e.IsConflict)
                {
                    profile = profile with { Status = status };
                }
            }
            result.Add(profile);
        }
        foreach (var stale in existing.Keys.Except(classes.Select(c => c.Metadata.Name!)))
        {
            try
            {
                await client.DeleteAsync(CdiResources.StorageProfiles, stale, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }
        return result;
    }

    private static bool Same(CdiConfigStatus a, CdiConfigStatus? b) =>
        JsonSerializer.Serialize(a, ApiJsonContext.Default.Options) == JsonSerializer.Serialize(b ?? new(), ApiJsonContext.Default.Options);
}
