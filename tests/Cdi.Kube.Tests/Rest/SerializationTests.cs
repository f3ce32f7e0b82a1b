using System.Text.Json;
using System.Text.Json.Nodes;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Tests.Rest;

public sealed class SerializationTests
{
    [Fact]
    public void Unknown_fields_survive_a_round_trip_and_nulls_are_omitted()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","managedFields":[{"manager":"kubectl"}]},
             "spec":{"containers":[{"name":"c","image":"cdi","stdin":true}],"dnsPolicy":"ClusterFirst"},"extra":42}
            """;
        var pod = JsonSerializer.Deserialize(json, KubeJsonContext.Default.Pod)!;
        var back = JsonNode.Parse(JsonSerializer.Serialize(pod, KubeJsonContext.Default.Pod))!;
        back["extra"]!.GetValue<int>().Should().Be(42);
        back["spec"]!["dnsPolicy"]!.GetValue<string>().Should().Be("ClusterFirst");
        back["spec"]!["containers"]![0]!["stdin"]!.GetValue<bool>().Should().BeTrue();
        back["metadata"]!["managedFields"]!.AsArray().Should().HaveCount(1);
        back["status"].Should().BeNull();
        back["metadata"]!.AsObject().ContainsKey("namespace").Should().BeFalse();
    }

    [Fact]
    public void Times_are_written_in_utc_with_Z()
    {
        var lease = new Lease { Spec = new LeaseSpec { RenewTime = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234560) } };
        var json = JsonSerializer.Serialize(lease, KubeJsonContext.Default.Lease);
        json.Should().Contain("\"renewTime\":\"2030-01-02T01:04:05.123456Z\"");
    }

    [Fact]
    public void Secret_data_is_base64()
    {
        var secret = new Secret { Data = new() { ["k"] = "hi"u8.ToArray() } };
        JsonSerializer.Serialize(secret, KubeJsonContext.Default.Secret).Should().Contain("\"k\":\"aGk=\"");
    }

    [Fact]
    public void Paths_follow_the_api_layout()
    {
        KubeResources.Pods.Descriptor.PathFor("ns", "p", "log").Should().Be("api/v1/namespaces/ns/pods/p/log");
        KubeResources.Pods.Descriptor.PathFor(null).Should().Be("api/v1/pods");
        KubeResources.StorageClasses.Descriptor.PathFor("ignored", "local").Should().Be("apis/storage.k8s.io/v1/storageclasses/local");
        KubeResources.Unstructured("cdi.kubevirt.io", "v1beta1", "datavolumes", true, "DataVolume").Descriptor.PathFor("d")
            .Should().Be("apis/cdi.kubevirt.io/v1beta1/namespaces/d/datavolumes");
    }

    [Fact]
    public void Error_reasons_are_typed()
    {
        new KubeApiException(new Status { Code = 409, Reason = "Conflict" }).IsConflict.Should().BeTrue();
        new KubeApiException(new Status { Code = 409, Reason = "AlreadyExists" }).IsAlreadyExists.Should().BeTrue();
        new KubeApiException(new Status { Code = 410, Reason = "Expired" }).IsGone.Should().BeTrue();
        new KubeApiException(new Status { Code = 404 }).Reason.Should().Be(KubeErrorReason.NotFound);
        new KubeApiException(new Status { Code = 403 }).Reason.Should().Be(KubeErrorReason.Forbidden);
        new KubeApiException(new Status { Code = 401 }).Reason.Should().Be(KubeErrorReason.Unauthorized);
    }
}
