using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.StorageProfiles;
using Cdi.Controller.Runtime;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;

namespace Cdi.Controller.Settings;

/// <summary>
/// Keeps CDIConfig <c>config</c> and one StorageProfile per StorageClass in step with the cluster's storage classes,
/// reading only the caches; watches on all of them enqueue its single key. A 409 goes to the runtime, which requeues:
/// the next pass computes from the newer object.
/// </summary>
public sealed class ClusterSettingsReconciler(KubeClient client, ControllerCaches caches, ControllerOptions options) : IReconciler<string>
{
    /// <summary>The one key: the settings are cluster-wide.</summary>
    public const string Key = "cluster";

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var classes = caches.StorageClasses.Store.List();
        await EnsureConfigAsync(classes, cancellationToken).ConfigureAwait(false);
        await EnsureProfilesAsync(classes, cancellationToken).ConfigureAwait(false);
        await EnsureLegacyConfigMapAsync(cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    /// <summary>Nothing here fails terminally; a failure is retried with backoff.</summary>
    public Task RecordTerminalAsync(string key, TerminalReconcileException failure, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureConfigAsync(IReadOnlyList<StorageClass> classes, CancellationToken cancellationToken)
    {
        if (caches.CdiConfig is not { } config)
        {
            // Created with its status on the next pass, once the watch brings it.
            await CreateAsync(CdiResources.CdiConfigs, new CdiConfig { Metadata = new ObjectMeta { Name = CdiConfig.SingletonName }, Spec = new() },
                cancellationToken).ConfigureAwait(false);
            return;
        }
        var status = ClusterSettingsDecider.ConfigStatus(config.Spec, classes, options);
        if (!Same(status, config.Status ?? new()))
        {
            await client.UpdateStatusAsync(CdiResources.CdiConfigs, config with { Status = status }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureProfilesAsync(IReadOnlyList<StorageClass> classes, CancellationToken cancellationToken)
    {
        var existing = caches.StorageProfiles.Store.List().ToDictionary(p => p.Metadata.Name!, StringComparer.Ordinal);
        foreach (var sc in classes)
        {
            var name = sc.Metadata.Name!;
            if (!existing.TryGetValue(name, out var profile))
            {
                await CreateAsync(CdiResources.StorageProfiles, new StorageProfile { Metadata = new ObjectMeta { Name = name }, Spec = new() },
                    cancellationToken).ConfigureAwait(false);
                continue;
            }
            var status = ClusterSettingsDecider.ProfileStatus(profile.Spec, sc);
            if (!Same(status, profile.Status ?? new()))
            {
                await client.UpdateStatusAsync(CdiResources.StorageProfiles, profile with { Status = status }, cancellationToken).ConfigureAwait(false);
            }
        }
        foreach (var stale in existing.Values.Where(p => classes.All(c => c.Metadata.Name != p.Metadata.Name)))
        {
            try
            {
                await client.DeleteAsync(CdiResources.StorageProfiles, stale.Metadata.Name!,
                    options: new DeleteOptions { Preconditions = new Preconditions { Uid = stale.Metadata.Uid } }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    /// <summary>
    /// When cdi's namespace exists, an empty legacy ConfigMap is created so seed 001's <c>kubectl patch configmap
    /// cdi-insecure-registries -n cdi</c> works. No namespace, or no RBAC for it: nothing to do.
    /// </summary>
    private async Task EnsureLegacyConfigMapAsync(CancellationToken cancellationToken)
    {
        if (caches.LegacyConfigMap is not null || caches.CdiNamespace.Store.Get(null, LegacyInsecureRegistries.Namespace) is not { } ns
            || ns.Metadata.DeletionTimestamp is not null)
        {
            return;
        }
        try
        {
            var empty = new ConfigMap { Metadata = new ObjectMeta { Name = LegacyInsecureRegistries.Name, Namespace = LegacyInsecureRegistries.Namespace } };
            await client.CreateAsync(KubeResources.ConfigMaps, empty, LegacyInsecureRegistries.Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Reason is KubeErrorReason.Forbidden or KubeErrorReason.NotFound or KubeErrorReason.AlreadyExists)
        {
        }
    }

    private async Task CreateAsync<T>(ResourceType<T> type, T obj, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await client.CreateAsync(type, obj, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            // The cache lags the server: its watch brings the object and the next pass.
        }
    }

    private static bool Same<T>(T a, T b) =>
        JsonSerializer.Serialize(a, ApiJsonContext.Default.Options) == JsonSerializer.Serialize(b, ApiJsonContext.Default.Options);
}
