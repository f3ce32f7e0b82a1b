using Cdi.Api;
using Cdi.Api.DataVolumes;
using Cdi.Controller.Runtime;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Testing;

namespace Cdi.Controller.Tests.ActPath;

/// <summary>The controllers as `cdi controller` runs them, against the in-process API server: watch-driven from end to end.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class ControllerHostTests(ApiServerFixture server)
{
    private KubeClient Client => server.Client;

    private static Task Until(Func<Task<bool>> condition, string what) => Poll.OrThrowAsync(condition, TimeSpan.FromSeconds(30), () => what);

    [Fact]
    public async Task A_storage_class_appearing_requeues_the_datavolume_waiting_for_it()
    {
        var ns = await server.NewNamespaceAsync();
        var className = "later-" + ns;
        var host = new ControllerHost(Client, new ControllerOptions("cdi.local/cdi:latest"));
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        try
        {
            await Client.CreateAsync(CdiResources.DataVolumes, new DataVolume
            {
                Metadata = new ObjectMeta { Name = "dv1", Namespace = ns },
                Spec = new DataVolumeSpec
                {
                    Source = new DataVolumeSource { Blank = System.Text.Json.JsonDocument.Parse("{}").RootElement },
                    Storage = new PersistentVolumeClaimSpec
                    {
                        StorageClassName = className,
                        Resources = new VolumeResourceRequirements { Requests = new() { ["storage"] = "1Mi" } },
                    },
                },
            }, ns);
            async Task<string?> BoundMessage() =>
                (await Client.GetAsync(CdiResources.DataVolumes, "dv1", ns)).Status?.Conditions?.FirstOrDefault(c => c.Type == "Bound")?.Message;
            await Until(async () => (await BoundMessage())?.Contains("does not exist") == true, "the missing class is reported");
            host.Health.Should().HaveCount(2).And.OnlyContain(h => h.Healthy, "every informer synced and none failing");

            await Client.CreateAsync(KubeResources.StorageClasses, new StorageClass
            {
                Metadata = new ObjectMeta { Name = className },
                Provisioner = "cdi.local/hostpath",
                VolumeBindingMode = "Immediate",
            });
            // No timer brings it back (neither ErrClaimNotValid nor a pending profile has a RequeueAfter): only the
            // StorageClass watch, then the StorageProfile watch once its status is written, do.
            await Until(async () => (await BoundMessage()) == "PVC dv1 Pending", "the DataVolume is reconsidered when the class appears");
            await Until(async () => await Client.TryGetAsync(CdiResources.StorageProfiles, className) is { Status.StorageClass: not null },
                "the class's StorageProfile is created and given its status from the watch");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            await Client.DeleteAsync(KubeResources.StorageClasses, className);
        }
    }

    [Fact]
    public async Task Creating_cdis_namespace_brings_the_legacy_insecure_registries_configmap()
    {
        var host = new ControllerHost(Client, new ControllerOptions("cdi.local/cdi:latest"));
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        try
        {
            await Until(() => Task.FromResult(host.Health.Count == 2 && host.Health.All(h => h.Healthy)), "the controllers run");
            if (await Client.TryGetAsync(KubeResources.Namespaces, "cdi") is null)
            {
                await Client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = "cdi" } });
            }
            // No poll: the namespace watch brings the settings pass that creates it.
            await Until(async () => await Client.TryGetAsync(KubeResources.ConfigMaps, "cdi-insecure-registries", "cdi") is not null,
                "the legacy ConfigMap appears once namespace cdi exists");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }
}
