using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests.Validation;

/// <summary>Validation and request limits through the real HTTPS API server, and what kubectl prints for them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidationApiTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private static StringContent Json(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

    private static async Task<JsonObject> StatusOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        var status = JsonNode.Parse(body)!.AsObject();
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["code"]!.GetValue<int>().Should().Be((int)expected);
        return status;
    }

    [Fact]
    public async Task A_pod_whose_name_climbs_out_is_422_and_not_stored()
    {
        var ns = await Cluster.NamespaceAsync("v-pod");
        using var http = Cluster.Http();
        const string Name = "../../../../../escaped";
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Json(
            $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{Name}}}"},"spec":{"containers":[{"name":"c","image":"cdi.local/cdi:latest"}]}}"""));
        var status = await StatusOf(response, HttpStatusCode.UnprocessableEntity);
        status["reason"]!.GetValue<string>().Should().Be("Invalid");
        status["message"]!.GetValue<string>().Should().StartWith($"Pod \"{Name}\" is invalid: metadata.name: Invalid value: \"{Name}\": a lowercase RFC 1123 subdomain");
        status["details"]!["kind"]!.GetValue<string>().Should().Be("Pod");
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        cause["field"]!.GetValue<string>().Should().Be("metadata.name");
        cause["reason"]!.GetValue<string>().Should().Be("FieldValueInvalid");
        (await Cluster.Kubectl.OkAsync("get", "pods", "-n", ns, "-o", "name")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("/api/v1/namespaces", """{"metadata":{"name":"../ns"}}""", "metadata.name", "a lowercase RFC 1123 label")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"../cm"}}""", "metadata.name", "a lowercase RFC 1123 subdomain")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"metadata":{"generateName":"../"}}""", "metadata.generateName", "a lowercase RFC 1123 subdomain")]
    [InlineData("/api/v1/namespaces/default/services", """{"metadata":{"name":"1svc"},"spec":{"ports":[{"port":80}]}}""", "metadata.name", "a DNS-1035 label")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"cm","labels":{"a/b/c":"v"}}}""", "metadata.labels", "a qualified name")]
    [InlineData("/api/v1/persistentvolumes", """{"metadata":{"name":"pv"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"../etc"}}}""", "spec.hostPath.path", "must be an absolute path")]
    [InlineData("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"volumes":[{"name":"root","hostPath":{"path":"/"}}],"containers":[{"name":"c","image":"i"}]}}""", "spec.volumes[0].hostPath", "Forbidden: hostPath volumes are not allowed")]
    [InlineData("/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"volumes":[{"name":"v","emptyDir":{}}],"containers":[{"name":"c","image":"i","volumeMounts":[{"name":"v","mountPath":"/d","subPath":"../.."}]}]}}""", "spec.containers[0].volumeMounts[0].subPath", "must not contain '..'")]
    [InlineData("/apis/cdi.kubevirt.io/v1beta1/namespaces/default/datavolumes", """{"apiVersion":"cdi.kubevirt.io/v1beta1","kind":"DataVolume","metadata":{"name":"../dv"},"spec":{}}""", "metadata.name", "a lowercase RFC 1123 subdomain")]
    public async Task Invalid_objects_of_every_kind_are_422_naming_the_field(string url, string body, string field, string message)
    {
        using var http = Cluster.Http();
        using var response = await http.PostAsync(url, Json(body));
        var status = await StatusOf(response, HttpStatusCode.UnprocessableEntity);
        status["details"]!["causes"]!.AsArray().Should().Contain(c => c!["field"]!.GetValue<string>() == field && c["message"]!.GetValue<string>().Contains(message));
    }

    [Fact]
    public async Task Updates_and_patches_of_every_type_are_validated_too()
    {
        var ns = await Cluster.NamespaceAsync("v-patch");
        using var http = Cluster.Http();
        (await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Json("""{"metadata":{"name":"cm"},"data":{"k":"v"}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);
        var url = $"/api/v1/namespaces/{ns}/configmaps/cm";
        (string Type, string Body)[] patches =
        [
            ("application/merge-patch+json", """{"metadata":{"labels":{"bad key":"v"}}}"""),
            ("application/json-patch+json", """[{"op":"add","path":"/metadata/labels","value":{"bad key":"v"}}]"""),
            ("application/strategic-merge-patch+json", """{"metadata":{"labels":{"bad key":"v"}}}"""),
            ("application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {bad key: v}\n"),
        ];
        foreach (var (type, body) in patches)
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, url + "?fieldManager=test") { Content = Json(body, type) };
            using var response = await http.SendAsync(request);
            var status = await StatusOf(response, HttpStatusCode.UnprocessableEntity);
            status["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("metadata.labels", type);
        }
        using var put = await http.PutAsync(url, Json("""{"metadata":{"name":"cm","finalizers":["a/b/c"]}}"""));
        (await StatusOf(put, HttpStatusCode.UnprocessableEntity))["details"]!["causes"]![0]!["field"]!.GetValue<string>().Should().Be("metadata.finalizers");
        (await Cluster.Kubectl.OkAsync("get", "cm", "cm", "-n", ns, "-o", "jsonpath={.metadata.labels}{.metadata.finalizers}")).Should().BeEmpty();
    }

    [Fact]
    public async Task Kubectl_prints_kubernetes_message_for_a_bad_name()
    {
        var ns = await Cluster.NamespaceAsync("v-kubectl");
        var result = await Cluster.Kubectl.RunWithInputAsync(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n", "create", "-f", "-", "-n", ns);
        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain(
            "The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    [Fact]
    public async Task A_body_over_3_MiB_is_413_with_a_status_whether_or_not_its_length_is_announced()
    {
        // HTTP/2: the server answers before the body is all sent and resets the stream, which HttpClient reads as the
        // answer (over HTTP/1.1 it would fail writing the rest; curl, below, reads the answer there).
        using var http = Cluster.Http();
        http.DefaultRequestVersion = HttpVersion.Version20;
        http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        var big = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" + new string('x', 4 * 1024 * 1024) + "\"}}";
        using (var announced = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json(big)))
        {
            (await StatusOf(announced, HttpStatusCode.RequestEntityTooLarge))["reason"]!.GetValue<string>().Should().Be("RequestEntityTooLarge");
        }
        // 50 MB, chunked: Kestrel stops reading at the limit; the answer is still a Status (it was a 500).
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps") { Content = new StreamContent(new EndlessJson(50_000_000)), Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        chunked.Content.Headers.ContentType = new("application/json");
        using var response = await http.SendAsync(chunked);
        (await StatusOf(response, HttpStatusCode.RequestEntityTooLarge))["message"]!.GetValue<string>().Should().Be("Request entity too large: limit is 3145728");
        (await http.GetStringAsync("/readyz")).Should().Be("ok");
    }

    [Fact]
    public async Task Curl_posting_50_MB_over_http_1_1_gets_the_413_status()
    {
        var file = Path.Combine(Cluster.Directory, "big.json");
        await using (var out_ = File.Create(file))
        {
            await new EndlessJson(50_000_000).CopyToAsync(out_);
        }
        var psi = new System.Diagnostics.ProcessStartInfo("curl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-sS", "--http1.1", "--cacert", Path.Combine(Cluster.Directory, "pki", "ca.crt"), "-H", "Authorization: Bearer " + Cluster.Context.BearerToken,
            "-H", "Content-Type: application/json", "--data-binary", "@" + file, "-w", "\n%{http_code}", Cluster.Context.ApiServerUrl + "api/v1/namespaces/default/configmaps" })
        {
            psi.ArgumentList.Add(a);
        }
        using var curl = System.Diagnostics.Process.Start(psi)!;
        var stdout = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        var lines = stdout.Split('\n');
        lines[^1].Should().Be("413", stdout.Length > 500 ? stdout[..500] : stdout);
        JsonNode.Parse(lines[0])!["reason"]!.GetValue<string>().Should().Be("RequestEntityTooLarge");
        File.Delete(file);
    }

    [Theory]
    [InlineData("limit=-1")]
    [InlineData("limit=abc")]
    [InlineData("limit=1e3")]
    [InlineData("resourceVersion=abc")]
    [InlineData("resourceVersion=-5")]
    [InlineData("continue=%21%21%21")]
    [InlineData("watch=true&resourceVersion=abc")]
    [InlineData("labelSelector=a%20in%20b")]
    [InlineData("fieldSelector=%3D%3D%3D")]
    public async Task Malformed_list_parameters_are_400_statuses(string query)
    {
        using var http = Cluster.Http();
        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps?" + query);
        (await StatusOf(response, HttpStatusCode.BadRequest))["reason"]!.GetValue<string>().Should().Be("BadRequest");
    }

    [Fact]
    public async Task A_huge_limit_is_capped_and_nesting_beyond_64_is_400()
    {
        using var http = Cluster.Http();
        using var list = await http.GetAsync("/api/v1/namespaces?limit=99999999999999999999999");
        list.StatusCode.Should().Be(HttpStatusCode.OK);
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        using var json = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json(deep));
        await StatusOf(json, HttpStatusCode.BadRequest);
        var yaml = "metadata:\n  name: deep\ndata: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/deep?fieldManager=t") { Content = Json(yaml, "application/apply-patch+yaml") };
        using var yamlResponse = await http.SendAsync(patch);
        (await StatusOf(yamlResponse, HttpStatusCode.BadRequest))["message"]!.GetValue<string>().Should().Contain("nested deeper than 64 levels");
    }

    [Fact]
    public async Task Watches_beyond_100_per_client_are_429_until_one_ends()
    {
        using var http = Cluster.Http();
        http.DefaultRequestVersion = HttpVersion.Version20;
        http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        http.Timeout = Timeout.InfiniteTimeSpan;
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 100; i++)
            {
                var watch = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=120", HttpCompletionOption.ResponseHeadersRead);
                watch.StatusCode.Should().Be(HttpStatusCode.OK, $"watch {i + 1} of 100 is within the limit");
                open.Add(watch);
            }
            using (var refused = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead))
            {
                (await StatusOf(refused, HttpStatusCode.TooManyRequests))["reason"]!.GetValue<string>().Should().Be("TooManyRequests");
                refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
            }
            // Lists are not watches: still served.
            (await http.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode.Should().Be(HttpStatusCode.OK);
            open[0].Dispose();
            open.RemoveAt(0);
            (await Eventually.TrueAsync(async () =>
            {
                var again = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=120", HttpCompletionOption.ResponseHeadersRead);
                if (again.StatusCode == HttpStatusCode.OK)
                {
                    open.Add(again);
                    return true;
                }
                again.Dispose();
                return false;
            }, TimeSpan.FromSeconds(30))).Should().BeTrue("a watch that ends frees its place");
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    /// <summary>A JSON document that never closes, of a given length, produced as it is read.</summary>
    private sealed class EndlessJson(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _position + i == 0 ? (byte)'[' : (byte)'1';
            }
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
