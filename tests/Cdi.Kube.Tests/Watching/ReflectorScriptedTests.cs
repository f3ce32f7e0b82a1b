using Cdi.Kube.Config;
using Cdi.Kube.Informers;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Tests.Support;

namespace Cdi.Kube.Tests.Watching;

/// <summary>Bookmarks and 410 Gone on cue, which a real server only produces under compaction.</summary>
public sealed class ReflectorScriptedTests
{
    private static string Cm(string name, string rv) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rv + "\"}}";

    [Fact]
    public async Task Resumes_from_bookmarks_and_relists_after_410_Gone()
    {
        var handler = new ScriptedHandler((request, call) => call switch
        {
            0 => ScriptedHandler.Json($$"""{"kind":"ConfigMapList","metadata":{"resourceVersion":"10"},"items":[{{Cm("a", "5")}},{{Cm("b", "6")}}]}"""),
            1 => ScriptedHandler.Json("{\"type\":\"ADDED\",\"object\":" + Cm("c", "11") + "}\n"
                + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"15"}}}"""),
            2 => ScriptedHandler.Json("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410,"message":"too old resource version: 15 (30)"}}"""),
            3 => ScriptedHandler.Json($$"""{"kind":"ConfigMapList","metadata":{"resourceVersion":"30"},"items":[{{Cm("a", "5")}},{{Cm("c", "11")}}]}"""),
            _ => ScriptedHandler.OpenWatch(),
        });
        using var client = new KubeClient(new KubeConfig { Server = new Uri("https://k8s.invalid") }, handler, null);
        var informer = new Informer<ConfigMap>(client, KubeResources.ConfigMaps, "ns");
        var deleted = new List<string>();
        var added = new List<string>();
        informer.Deleted += c => deleted.Add(c.Metadata.Name!);
        informer.Added += c => added.Add(c.Metadata.Name!);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = informer.RunAsync(stop.Token);

        await Until(() => informer.Reflector.ListCount == 2 && informer.Reflector.WatchConnectionCount == 3, stop.Token);
        informer.Store.List().Select(c => c.Metadata.Name).Should().BeEquivalentTo(["a", "c"]);
        added.Should().Equal("a", "b", "c");
        deleted.Should().Equal("b");
        lock (handler.Requests)
        {
            handler.Requests[1].Should().Contain("watch=true").And.Contain("resourceVersion=10").And.Contain("allowWatchBookmarks=true");
            handler.Requests[2].Should().Contain("resourceVersion=15", "the bookmark advanced the version");
            handler.Requests[3].Should().NotContain("watch=true", "410 makes it list again");
            handler.Requests[4].Should().Contain("resourceVersion=30");
        }
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Watch_frames_need_not_be_one_per_line()
    {
        var handler = new ScriptedHandler((_, _) => ScriptedHandler.Json(
            "{\"type\":\"ADDED\",\"object\":" + Cm("x}{", "1") + "}{\"type\":\"DELETED\",\"object\":" + Cm("y", "2") + "}"));
        using var client = new KubeClient(new KubeConfig { Server = new Uri("https://k8s.invalid") }, handler, null);
        var events = new List<string>();
        await foreach (var e in client.WatchAsync(KubeResources.ConfigMaps, "ns")) events.Add($"{e.Type} {e.Object.Metadata.Name}");
        events.Should().Equal("Added x}{", "Deleted y");
    }

    private static async Task Until(Func<bool> condition, CancellationToken token)
    {
        // Bounded by the test's own token; the poll's deadline only needs to outlast it.
        (await Cdi.Testing.Poll.UntilAsync(condition, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(20), token)).Should().BeTrue();
    }
}
