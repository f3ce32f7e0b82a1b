using System.Text.Json.Nodes;
using Cdi.Cluster.Patching;

namespace Cdi.Cluster.Tests.Units;

public sealed class PatchTests
{
    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var result = JsonMergePatch.Apply(J("""{"a":"b","c":{"d":"e","f":"g"}}"""), J("""{"a":"z","c":{"f":null}}"""));
        JsonNode.DeepEquals(result, J("""{"a":"z","c":{"d":"e"}}""")).Should().BeTrue(result!.ToJsonString());
    }

    [Fact]
    public void Json_patch_applies_operations_in_order()
    {
        var result = JsonPatch.Apply(J("""{"list":[1,2],"x":{"y":1}}"""),
            J("""[{"op":"add","path":"/list/-","value":3},{"op":"remove","path":"/x/y"},{"op":"replace","path":"/list/0","value":9},{"op":"test","path":"/list/1","value":2}]"""));
        JsonNode.DeepEquals(result, J("""{"list":[9,2,3],"x":{}}""")).Should().BeTrue(result.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_merges_containers_and_env_by_name()
    {
        var pod = J("""{"spec":{"containers":[{"name":"a","image":"x","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"b","image":"y"}]}}""");
        var patch = J("""{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"a","env":[{"name":"A","value":"9"},{"name":"B","$patch":"delete"}]},{"name":"c","image":"z"}]}}""");
        var result = StrategicMergePatch.Apply(pod, patch)!;
        var containers = result["spec"]!["containers"]!.AsArray();
        containers.Should().HaveCount(3);
        containers[0]!["image"]!.GetValue<string>().Should().Be("x");
        containers[0]!["env"]!.AsArray().Should().ContainSingle();
        containers[0]!["env"]![0]!["value"]!.GetValue<string>().Should().Be("9");
        containers[2]!["name"]!.GetValue<string>().Should().Be("c");
    }

    [Fact]
    public void Strategic_merge_replaces_lists_without_a_merge_key_and_honours_retain_keys()
    {
        var result = StrategicMergePatch.Apply(
            J("""{"spec":{"args":["a","b"],"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"""),
            J("""{"spec":{"args":["c"],"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"""))!;
        JsonNode.DeepEquals(result, J("""{"spec":{"args":["c"],"strategy":{"type":"Recreate"}}}""")).Should().BeTrue(result.ToJsonString());
    }
}
