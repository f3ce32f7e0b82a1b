using System.Collections.Concurrent;
using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Tests.Support;
using Cdi.Kube.Watching;

namespace Cdi.Kube.Tests.Watching;

[Collection(LocalClusterCollection.Name)]
public sealed class WatchAndInformerTests(LocalClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task Watch_delivers_added_modified_deleted_from_a_resource_version()
    {
        var ns = await cluster.NewNamespaceAsync();
        var list = await Client.ListAsync(KubeResources.ConfigMaps, ns);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Client.WatchAsync(KubeResources.ConfigMaps, ns,
                               new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, stop.Token))
            {
                if (e.Type == WatchEventType.Bookmark) continue;
                seen.Add($"{e.Type} {e.Object.Metadata.Name}");
                if (e.Type == WatchEventType.Deleted) return;
            }
        });
        var cm = await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "w", Namespace = ns } });
        await Client.UpdateAsync(KubeResources.ConfigMaps, cm with { Data = new() { ["k"] = "v" } });
        await Client.DeleteAsync(KubeResources.ConfigMaps, "w", ns);
        await watching.WaitAsync(stop.Token);
        seen.Should().Equal("Added w", "Modified w", "Deleted w");
    }

    [Fact]
    public async Task Reflector_loses_and_repeats_no_event_across_forced_reconnects()
    {
        const int count = 60;
        var ns = await cluster.NewNamespaceAsync();
        var informer = new Informer<ConfigMap>(Client, KubeResources.ConfigMaps, ns);
        var added = new ConcurrentQueue<string>();
        informer.Added += c => added.Enqueue(c.Metadata.Name!);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        // Creates run while the watch connection is dropped again and again.
        var creating = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = $"o-{i:D3}", Namespace = ns } });
            }
        });
        using (var reconnects = new PeriodicTimer(TimeSpan.FromMilliseconds(15)))
        {
            while (!creating.IsCompleted)
            {
                informer.Reflector.Reconnect();
                await Task.WhenAny(creating, reconnects.WaitForNextTickAsync().AsTask());
            }
        }
        await creating;
        await Eventually.UntilAsync(() => added.Count >= count, $"{count} ADDED events");

        added.Should().Equal(Enumerable.Range(0, count).Select(i => $"o-{i:D3}"), "every object exactly once, in creation order");
        informer.Reflector.WatchConnectionCount.Should().BeGreaterThan(1, "the test must actually have reconnected");
        informer.Reflector.ListCount.Should().Be(1, "a resumed watch needs no relist");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Reflector_resumes_after_the_server_ends_the_watch()
    {
        var ns = await cluster.NewNamespaceAsync();
        var informer = new Informer<ConfigMap>(Client, KubeResources.ConfigMaps, ns, new ReflectorOptions { WatchTimeoutSeconds = 1 });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        await Eventually.UntilAsync(() => informer.Reflector.WatchConnectionCount >= 2, "the server to close a watch");
        await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "after", Namespace = ns } });
        await Eventually.UntilAsync(() => informer.Store.Get(ns, "after") is not null, "the object created after reconnecting");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_is_410_Gone()
    {
        // A cluster of its own that keeps only 5 changes of history, so an old version is gone after a few writes.
        var dir = Directory.CreateTempSubdirectory("cdi-gone-").FullName;
        var host = new ClusterHost(new ClusterHostOptions(dir) { Port = 0, WatchHistory = 5 }, []);
        try
        {
            await host.StartAsync(CancellationToken.None);
            using var client = new KubeClient(KubeConfigLoader.FromFile(host.KubeconfigPath));
            var from = (await client.ListAsync(KubeResources.ConfigMaps, "default")).Metadata.ResourceVersion;
            for (var i = 0; i < 10; i++)
            {
                await client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = $"c{i}", Namespace = "default" } });
            }
            var e = await FluentActions.Awaiting(async () =>
            {
                await foreach (var _ in client.WatchAsync(KubeResources.ConfigMaps, "default", new WatchOptions { ResourceVersion = from, TimeoutSeconds = 5 }))
                {
                }
            }).Should().ThrowAsync<KubeApiException>();
            e.Which.IsGone.Should().BeTrue();
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Reflector_relists_when_its_version_was_compacted_while_it_was_away()
    {
        var dir = Directory.CreateTempSubdirectory("cdi-relist-").FullName;
        var host = new ClusterHost(new ClusterHostOptions(dir) { Port = 0, WatchHistory = 5 }, []);
        try
        {
            await host.StartAsync(CancellationToken.None);
            var config = KubeConfigLoader.FromFile(host.KubeconfigPath);
            var gate = new WatchGateHandler(KubeHttpHandlerFactory.Create(config));
            using var client = new KubeClient(config, gate, null);
            var informer = new Informer<ConfigMap>(client, KubeResources.ConfigMaps, "default",
                new ReflectorOptions { ErrorBackoff = TimeSpan.FromMilliseconds(50) });
            var deleted = new ConcurrentQueue<string>();
            informer.Deleted += c => deleted.Enqueue(c.Metadata.Name!);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = informer.RunAsync(stop.Token);
            await informer.WaitForSyncAsync(stop.Token);
            await client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = "before", Namespace = "default" } });
            await Eventually.UntilAsync(() => informer.Store.Get("default", "before") is not null, "the first object");

            // The watch is down while more changes happen than the server keeps.
            gate.BlockWatches = true;
            informer.Reflector.Reconnect();
            await client.DeleteAsync(KubeResources.ConfigMaps, "before", "default");
            for (var i = 0; i < 10; i++)
            {
                await client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap { Metadata = new ObjectMeta { Name = $"while-{i}", Namespace = "default" } });
            }
            gate.BlockWatches = false;

            await Eventually.UntilAsync(() => informer.Reflector.ListCount == 2 && informer.Store.Count >= 10, "a relist after 410 Gone");
            informer.Store.Get("default", "before").Should().BeNull();
            deleted.Should().Equal("before");
            informer.Store.List().Select(c => c.Metadata.Name).Should().Contain(Enumerable.Range(0, 10).Select(i => $"while-{i}"));
            await stop.CancelAsync();
            await run;
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Informer_syncs_then_follows_updates_and_deletes_with_an_index()
    {
        var ns = await cluster.NewNamespaceAsync();
        foreach (var name in new[] { "x", "y", "z" })
        {
            await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
            {
                Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { ["group"] = name == "z" ? "two" : "one" } },
            });
        }
        var informer = new Informer<ConfigMap>(Client, KubeResources.ConfigMaps, ns);
        informer.Store.AddIndexer("group", c => c.Metadata.Labels?.GetValueOrDefault("group") is { } g ? [g] : []);
        var updated = new ConcurrentQueue<(string? Old, string? New)>();
        var deleted = new ConcurrentQueue<string>();
        informer.Updated += (o, n) => updated.Enqueue((o.Data?.GetValueOrDefault("v"), n.Data?.GetValueOrDefault("v")));
        informer.Deleted += c => deleted.Enqueue(c.Metadata.Name!);
        informer.HasSynced.Should().BeFalse();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);

        informer.HasSynced.Should().BeTrue();
        informer.Store.Count.Should().Be(3);
        informer.Store.ByIndex("group", "one").Select(c => c.Metadata.Name).Should().BeEquivalentTo(["x", "y"]);

        await Client.PatchAsync(KubeResources.ConfigMaps, "x", ns, PatchType.Merge, """{"data":{"v":"1"}}""");
        await Client.DeleteAsync(KubeResources.ConfigMaps, "y", ns);
        await Eventually.UntilAsync(() => !updated.IsEmpty && !deleted.IsEmpty, "update and delete notifications");
        updated.Should().ContainSingle().Which.Should().Be(((string?)null, (string?)"1"));
        deleted.Should().Equal("y");
        informer.Store.Get(ns, "y").Should().BeNull();
        informer.Store.ByIndex("group", "one").Select(c => c.Metadata.Name).Should().Equal("x");
        await stop.CancelAsync();
        await run;
    }
}
