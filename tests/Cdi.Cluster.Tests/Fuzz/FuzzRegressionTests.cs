using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Patching;
using Cdi.Cluster.Serialization;
using Cdi.Cluster.Storage;
using Cdi.Cluster.Tables;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests.Fuzz;

/// <summary>Each crash the fuzz suite found (a 500, or a failed listing), kept as its own named case.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FuzzRegressionTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    private static int CodeOf(Action act) => act.Should().Throw<ApiException>().Which.Code;

    [Fact]
    public void Duplicate_json_keys_are_a_400_when_read_not_a_500_later()
    {
        CodeOf(() => HttpJson.Parse("""{"metadata":{"name":"a","name":"b"}}""", "application/json")).Should().Be(400);
    }

    [Fact]
    public async Task Duplicate_json_keys_over_http_are_a_400_status()
    {
        using var http = Cluster.Http();
        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"dup","name":"dup2"}}""", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        J(await response.Content.ReadAsStringAsync())["kind"]!.GetValue<string>().Should().Be("Status");
    }

    [Fact]
    public void Metadata_that_is_not_an_object_reads_as_absent()
    {
        var odd = J("""{"metadata":["not","an","object"]}""").AsObject();
        ObjectMeta.Name(odd).Should().BeEmpty();
        ObjectMeta.Labels(odd).Should().BeEmpty();
        ObjectMeta.Finalizers(odd).Should().BeEmpty();
        ObjectMeta.IsDeleting(odd).Should().BeFalse();
        ObjectMeta.Finalizers(J("""{"metadata":{"finalizers":[1,"a"]}}""").AsObject()).Should().Equal("", "a");
    }

    [Fact]
    public async Task An_update_whose_metadata_is_a_list_is_refused_not_a_500()
    {
        var ns = await Cluster.NamespaceAsync("fuzz-meta");
        using var http = Cluster.Http();
        (await http.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", new StringContent("""{"metadata":{"name":"sa"}}""", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        using var response = await http.PutAsync($"/api/v1/namespaces/{ns}/serviceaccounts/sa", new StringContent("""{"metadata":[1,2]}""", Encoding.UTF8, "application/json"));
        ((int)response.StatusCode).Should().BeInRange(200, 499, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":""}]""")]
    [InlineData("""[{"op":"replace","path":"","value":{}}]""")]
    [InlineData("""[{"op":"move","from":"","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"no-slash","value":1}]""")]
    [InlineData("""[{"op":5,"path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":["/a"],"value":1}]""")]
    public void Json_patches_with_bad_pointers_or_ops_are_4xx(string patch)
    {
        CodeOf(() => JsonPatch.Apply(J("""{"a":1}"""), J(patch))).Should().BeInRange(400, 499);
    }

    [Theory]
    [InlineData("""{"$patch":5}""")]
    [InlineData("""{"$patch":"bogus"}""")]
    [InlineData("""{"spec":{"containers":[{"name":"c","$patch":["delete"]}]}}""")]
    public void Strategic_merge_patches_with_bad_directives_are_400(string patch)
    {
        CodeOf(() => StrategicMergePatch.Apply(J("""{"spec":{"containers":[{"name":"c"}]}}"""), J(patch))).Should().Be(400);
    }

    [Fact]
    public void Strategic_retain_keys_with_non_strings_keeps_nothing_unnamed()
    {
        var result = StrategicMergePatch.Apply(J("""{"a":1,"b":2}"""), J("""{"$retainKeys":[1,"a"]}"""));
        JsonNode.DeepEquals(result, J("""{"a":1}""")).Should().BeTrue(result!.ToJsonString());
    }

    [Fact]
    public void Managed_fields_with_malformed_keys_match_nothing()
    {
        var live = J("""{"items":[{"name":"a"}],"values":["x"]}""");
        var act = () => FieldSet.RemoveMissing(live,
            J("""{"f:items":{"k:not json":{},"k:{\"name\":\"a\",\"name\":\"b\"}":{}},"f:values":{"v:[unclosed":{}}}""").AsObject(),
            J("""{"f:items":{},"f:values":{}}""").AsObject());
        act.Should().NotThrow();
        live.ToJsonString().Should().Be("""{"items":[{"name":"a"}],"values":["x"]}""");
    }

    [Theory]
    [InlineData("? [complex, key]\n: value\n")]
    [InlineData("a: &x [*x]\n")]
    [InlineData("a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n")]
    public void Yaml_bodies_with_complex_keys_or_exploding_aliases_are_400(string yaml)
    {
        CodeOf(() => HttpJson.Parse(yaml, "application/apply-patch+yaml")).Should().Be(400);
    }

    [Fact]
    public void Yaml_nested_deeper_than_json_allows_is_400_before_it_is_loaded()
    {
        CodeOf(() => HttpJson.Parse("a: " + new string('[', 200_000), "application/yaml")).Should().Be(400);
        YamlJson.Parse("a: " + new string('[', 60) + new string(']', 60)).Should().NotBeNull();
    }

    [Fact]
    public void A_table_row_whose_status_has_another_shape_prints_invalid()
    {
        var pods = BuiltInResources.All.Single(d => d.Plural == "pods");
        var pod = J("""{"metadata":{"name":"odd","namespace":"d"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running","containerStatuses":[{"state":"x","restartCount":1,"ready":"yes"}]}}""").AsObject();
        var table = new TableBuilder(TimeProvider.System).Build(pods, [pod], "None", 1, null);
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => c?.ToString()).ToList();
        cells[0].Should().Be("odd");
        cells.Should().Contain("<invalid>");
    }

    [Fact]
    public async Task A_status_write_of_the_wrong_shape_is_422()
    {
        var ns = await Cluster.NamespaceAsync("fuzz-status");
        using var http = Cluster.Http();
        (await http.PostAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims", new StringContent(
            """{"metadata":{"name":"c"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"none"}}""", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        using var response = await http.PutAsync($"/api/v1/namespaces/{ns}/persistentvolumeclaims/c/status", new StringContent(
            """{"metadata":{"name":"c"},"status":"Bound"}""", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Cluster.Kubectl.OkAsync("get", "pvc", "-n", ns)).Should().Contain("Pending");
    }
}
