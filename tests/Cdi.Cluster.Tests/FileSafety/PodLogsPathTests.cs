using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Logs;
using Cdi.Cluster.Storage;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.Tests.FileSafety;

/// <summary>
/// The log server fed pods with hostile names straight from the store (as if the API had accepted them): it answers
/// 400 and reads no file, even where a naive path would have found one.
/// </summary>
public sealed class PodLogsPathTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("pod-logs-").FullName;
    private readonly ObjectStore _store;
    private readonly ResourceDefinition _pods = new ResourceRegistry(BuiltInResources.All).Find("", "v1", "pods")!;

    public PodLogsPathTests()
    {
        Directory.CreateDirectory(Cluster);
        _store = ObjectStore.Open(Path.Combine(_sandbox, "store.db"));
    }

    private string Cluster => Path.Combine(_sandbox, "cluster");

    [Fact]
    public async Task A_pod_name_that_climbs_out_is_a_bad_request_and_the_file_it_names_is_not_read()
    {
        // DIR/pods/ns/../../../escape/c.log is SANDBOX/escape/c.log: plant a secret there.
        Directory.CreateDirectory(Path.Combine(_sandbox, "escape"));
        File.WriteAllText(Path.Combine(_sandbox, "escape", "c.log"), "SECRET");
        Put("ns", "../../../escape", "c");

        var (error, body) = await ServeAsync("ns", "../../../escape", "");
        error.Code.Should().Be(400);
        error.Message.Should().Contain("pod name \"../../../escape\" cannot be used as a file name");
        body.Should().NotContain("SECRET");
    }

    [Fact]
    public async Task A_container_name_that_climbs_out_is_a_bad_request_for_current_and_previous_logs()
    {
        // DIR/pods/ns/p/../../../escape.log is DIR/escape.log.
        File.WriteAllText(Path.Combine(Cluster, "escape.log"), "SECRET");
        File.WriteAllText(Path.Combine(Cluster, "escape.previous.log"), "SECRET");
        Put("ns", "p", "../../../escape");

        foreach (var query in (string[])["?container=../../../escape", "?container=../../../escape&previous=true"])
        {
            var (error, body) = await ServeAsync("ns", "p", query);
            error.Code.Should().Be(400, query);
            error.Message.Should().Contain("container name");
            body.Should().NotContain("SECRET");
        }
    }

    private void Put(string ns, string name, string container) =>
        _store.Write(new ObjectKey("pods", ns, name), _ => StoreWrite.Put(new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = Guid.NewGuid().ToString() },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container }) },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        }));

    private async Task<(ApiException Error, string Body)> ServeAsync(string ns, string name, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        using var body = new MemoryStream();
        context.Response.Body = body;
        var logs = new PodLogs(Cluster, TimeProvider.System, CancellationToken.None);
        var act = () => logs.ServeAsync(context, _store, new ResourceRequest(_pods, "v1", ns, name, "log"));
        var error = (await act.Should().ThrowAsync<ApiException>()).Which;
        return (error, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_sandbox, recursive: true);
    }
}
