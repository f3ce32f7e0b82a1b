using Cdi.Api;
using Cdi.Controller.Runtime;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Watching;

namespace Cdi.Controller.Tests.ActPath;

/// <summary>
/// The controller's caches under the test's hand: <see cref="SyncAsync"/> fills them from the server as a fresh list
/// would; <see cref="Show{T}"/> and <see cref="Hide{T}"/> plant a stale view (an old object, a missing one).
/// </summary>
internal sealed class CacheView(KubeClient client)
{
    private const string Labelled = "app=containerized-data-importer";

    public ControllerCaches Caches { get; } = new(client);

    public async Task SyncAsync()
    {
        await ListInto(Caches.DataVolumes, CdiResources.DataVolumes);
        await ListInto(Caches.Claims, KubeResources.PersistentVolumeClaims, Labelled);
        await ListInto(Caches.Pods, KubeResources.Pods, Labelled);
        await ListInto(Caches.StorageClasses, KubeResources.StorageClasses);
        await ListInto(Caches.CdiConfigs, CdiResources.CdiConfigs);
        await ListInto(Caches.StorageProfiles, CdiResources.StorageProfiles);
        await ListInto(Caches.CdiNamespace, KubeResources.Namespaces, fields: "metadata.name=cdi");
        await ListInto(Caches.LegacyConfigMaps, KubeResources.ConfigMaps, ns: "cdi", fields: "metadata.name=cdi-insecure-registries");
    }

    public static void Show<T>(Informer<T> informer, T obj) where T : class =>
        ((IReflectorSink<T>)informer).Apply(new WatchEvent<T>(WatchEventType.Modified, obj));

    public static void Hide<T>(Informer<T> informer, T obj) where T : class =>
        ((IReflectorSink<T>)informer).Apply(new WatchEvent<T>(WatchEventType.Deleted, obj));

    private async Task ListInto<T>(Informer<T> informer, ResourceType<T> type, string? labels = null, string? ns = null, string? fields = null) where T : class
    {
        var list = await client.ListAsync(type, ns, new ListOptions { LabelSelector = labels, FieldSelector = fields });
        ((IReflectorSink<T>)informer).Replace(list.Items, list.Metadata.ResourceVersion ?? "");
    }
}
