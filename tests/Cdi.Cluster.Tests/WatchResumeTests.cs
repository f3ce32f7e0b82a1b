using System.Net;
using System.Text.Json.Nodes;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

public sealed class WatchResumeTests
{
    [Fact]
    public async Task A_watch_resumes_from_a_recent_version_and_gets_410_when_it_is_too_old()
    {
        await using var cluster = await LocalCluster.StartAsync(watchHistory: 5);
        using var http = cluster.Http();
        var start = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/configmaps"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await cluster.Kubectl.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n");

        // Recent enough: the change after `start` is replayed.
        var replay = await http.GetStringAsync($"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={start}&timeoutSeconds=1");
        replay.Should().Contain("\"type\":\"ADDED\"").And.Contain("\"first\"");

        for (var i = 0; i < 10; i++)
        {
            await cluster.Kubectl.ApplyAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: more{i}}}\n");
        }
        using var response = await http.GetAsync($"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={start}&timeoutSeconds=1");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(body.Split('\n')[0])!;
        error["type"]!.GetValue<string>().Should().Be("ERROR");
        error["object"]!["code"]!.GetValue<int>().Should().Be(410);
        error["object"]!["reason"]!.GetValue<string>().Should().Be("Expired");
    }

    [Fact]
    public async Task Bookmarks_are_sent_when_allowed()
    {
        await using var cluster = await LocalCluster.StartAsync();
        using var http = cluster.Http();
        var body = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=2");
        body.Should().Contain("\"type\":\"BOOKMARK\"");
    }

    [Fact]
    public async Task Objects_survive_a_restart()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: durable}\ndata: {k: v}\n");
        var before = await cluster.Kubectl.OkAsync("get", "cm", "durable", "-o", "jsonpath={.metadata.resourceVersion}");
        await cluster.RestartAsync();
        (await cluster.Kubectl.OkAsync("get", "cm", "durable", "-o", "jsonpath={.data.k}")).Should().Be("v");
        await cluster.Kubectl.OkAsync("patch", "cm", "durable", "--type=merge", "-p", "{\"data\":{\"k\":\"w\"}}");
        var after = await cluster.Kubectl.OkAsync("get", "cm", "durable", "-o", "jsonpath={.metadata.resourceVersion}");
        long.Parse(after, System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(long.Parse(before, System.Globalization.CultureInfo.InvariantCulture));
        (await cluster.Kubectl.OkAsync("get", "sc")).Should().Contain("local (default)");
    }
}
