using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ApiSemanticsTests(SharedCluster shared)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    [Fact]
    public async Task A_stale_resource_version_is_a_409_conflict()
    {
        var ns = await Cluster.NamespaceAsync("conflict");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {v: \"1\"}\n", "-n", ns);
        var stale = await K.OkAsync("get", "cm", "shared", "-n", ns, "-o", "json");
        await K.OkAsync("patch", "cm", "shared", "-n", ns, "--type=merge", "-p", "{\"data\":{\"v\":\"2\"}}");
        var replace = await K.RunWithInputAsync(stale.Replace("\"1\"", "\"3\"", StringComparison.Ordinal), "replace", "-f", "-");
        replace.ExitCode.Should().NotBe(0);
        replace.Stderr.Should().Contain(
            "Operation cannot be fulfilled on configmaps \"shared\": the object has been modified; please apply your changes to the latest version and try again");

        using var http = Cluster.Http();
        using var response = await http.PutAsync($"/api/v1/namespaces/{ns}/configmaps/shared",
            new StringContent(stale, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        status["kind"]!.GetValue<string>().Should().Be("Status");
        status["reason"]!.GetValue<string>().Should().Be("Conflict");
        status["code"]!.GetValue<int>().Should().Be(409);
        status["details"]!["name"]!.GetValue<string>().Should().Be("shared");
    }

    [Fact]
    public async Task Pods_are_defaulted_and_bound_through_the_binding_subresource()
    {
        var ns = await Cluster.NamespaceAsync("bind");
        await K.ApplyAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: unbound}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n", "-n", ns);
        (await K.OkAsync("get", "pod", "unbound", "-n", ns, "-o", "jsonpath={.spec.restartPolicy}/{.spec.serviceAccountName}/{.spec.containers[0].imagePullPolicy}/{.status.phase}"))
            .Should().Be("Always/default/Always/Pending");
        using var http = Cluster.Http();
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/unbound/binding", new StringContent(
            """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"unbound"},"target":{"apiVersion":"v1","kind":"Node","name":"node-a"}}""", Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await K.OkAsync("get", "pod", "unbound", "-n", ns, "-o", "jsonpath={.spec.nodeName}/{.status.conditions[0].type}")).Should().Be("node-a/PodScheduled");
        using var again = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/unbound/binding", new StringContent(
            """{"target":{"name":"node-b"}}""", Encoding.UTF8, "application/json"));
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Discovery_is_legacy_json_and_aggregated_only_requests_get_406()
    {
        using var http = Cluster.Http();
        using var aggregated = new HttpRequestMessage(HttpMethod.Get, "/apis");
        aggregated.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        (await http.SendAsync(aggregated)).StatusCode.Should().Be(HttpStatusCode.NotAcceptable);
        var groups = JsonNode.Parse(await http.GetStringAsync("/apis"))!;
        groups["kind"]!.GetValue<string>().Should().Be("APIGroupList");
        var cdi = JsonNode.Parse(await http.GetStringAsync("/apis/cdi.kubevirt.io/v1beta1"))!;
        var dv = cdi["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "datavolumes")!;
        dv["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("dv", "dvs");
        dv["categories"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("all");
        cdi["resources"]!.AsArray().Should().Contain(r => r!["name"]!.GetValue<string>() == "datavolumes/status");
        (await K.OkAsync("get", "--raw", "/version")).Should().Contain("\"gitVersion\"");
    }

    [Fact]
    public async Task Requests_without_the_token_are_refused()
    {
        using var http = Cluster.Http(authenticated: false);
        using var response = await http.GetAsync("/api/v1/namespaces");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.GetStringAsync("/readyz")).Should().Be("ok");
    }

    [Fact]
    public async Task Pods_missing_limits_are_refused_by_the_quota_with_kubernetes_message()
    {
        var ns = await Cluster.NamespaceAsync("quota");
        await K.ApplyAsync("apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute-quota}\nspec:\n  hard: {limits.cpu: \"2\", limits.memory: 2Gi, requests.memory: 1Gi, pods: \"1\"}\n", "-n", ns);
        const string Pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: importer-x1}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest, resources: {limits: {memory: 100Mi}}}]\n";
        var refused = await K.RunWithInputAsync(Pod, "apply", "-f", "-", "-n", ns);
        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain("pods \"importer-x1\" is forbidden: failed quota: compute-quota: must specify limits.cpu");
        refused.Stderr.Should().NotContain("limits.memory,");

        var bare = await K.RunWithInputAsync(Pod.Replace(", resources: {limits: {memory: 100Mi}}", "", StringComparison.Ordinal), "apply", "-f", "-", "-n", ns);
        bare.Stderr.Should().Contain("failed quota: compute-quota: must specify limits.cpu,limits.memory,requests.memory");

        // A LimitRange supplies the defaults, after which the pod is admitted and counted.
        await K.ApplyAsync("apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n  limits: [{type: Container, default: {cpu: 500m, memory: 256Mi}}]\n", "-n", ns);
        await K.ApplyAsync(Pod, "-n", ns);
        (await K.OkAsync("get", "pod", "importer-x1", "-n", ns, "-o", "jsonpath={.spec.containers[0].resources.limits.cpu}")).Should().Be("500m");
        var exceeded = await K.RunWithInputAsync(Pod.Replace("importer-x1", "importer-x2", StringComparison.Ordinal), "apply", "-f", "-", "-n", ns);
        exceeded.Stderr.Should().Contain("pods \"importer-x2\" is forbidden: exceeded quota: compute-quota, requested: pods=1, used: pods=1, limited: pods=1");
        (await Eventually.TrueAsync(async () =>
            (await K.OkAsync("get", "quota", "compute-quota", "-n", ns, "-o", "jsonpath={.status.used.pods}")) == "1", Timeout)).Should().BeTrue();
    }

    [Fact]
    public async Task Deleting_an_owner_collects_its_dependents()
    {
        var ns = await Cluster.NamespaceAsync("gc");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n", "-n", ns);
        var uid = await K.OkAsync("get", "cm", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: dependent
              ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: {{uid}}}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: orphan
              ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: {{uid}}}]
            """, "-n", ns);
        await K.OkAsync("delete", "cm", "owner", "-n", ns);
        (await Eventually.TrueAsync(async () => (await K.RunAsync("get", "secret", "dependent", "-n", ns)).ExitCode != 0, Timeout)).Should().BeTrue();
        (await K.RunAsync("get", "cm", "orphan", "-n", ns)).ExitCode.Should().NotBe(0);
    }

    [Fact]
    public async Task Readiness_lists_the_in_process_controllers_and_liveness_stays_plain()
    {
        var verbose = await K.OkAsync("get", "--raw", "/readyz?verbose");
        verbose.Should().Contain("[+]controller/garbage-collector ok")
            .And.Contain("[+]controller/namespace-controller ok")
            .And.Contain("[+]controller/resourcequota-controller ok")
            .And.EndWith("readyz check passed\n");
        (await K.OkAsync("get", "--raw", "/livez")).Should().Be("ok");
    }

    [Fact]
    public async Task A_deleted_default_service_account_comes_back()
    {
        var ns = await Cluster.NamespaceAsync("sa");
        (await Eventually.TrueAsync(async () => (await K.RunAsync("get", "sa", "default", "-n", ns)).ExitCode == 0, Timeout)).Should().BeTrue();
        var uid = await K.OkAsync("get", "sa", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.OkAsync("delete", "sa", "default", "-n", ns);
        (await Eventually.TrueAsync(async () => (await K.RunAsync("get", "sa", "default", "-n", ns, "-o", "jsonpath={.metadata.uid}")).Stdout is { Length: > 0 } u && u != uid, Timeout))
            .Should().BeTrue("the namespace controller keeps a default service account in every live namespace");
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents()
    {
        var ns = await Cluster.NamespaceAsync("orphan");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n", "-n", ns);
        var uid = await K.OkAsync("get", "cm", "owner", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.ApplyAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  ownerReferences: [{{apiVersion: v1, kind: ConfigMap, name: owner, uid: {uid}}}]\n", "-n", ns);
        await K.OkAsync("delete", "cm", "owner", "-n", ns, "--cascade=orphan");
        (await K.OkAsync("get", "cm", "kept", "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}")).Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        var ns = await Cluster.NamespaceAsync("nsdel");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n", "-n", ns);
        await K.OkAsync("delete", "ns", ns, "--timeout=60s");
        (await K.RunAsync("get", "ns", ns)).ExitCode.Should().NotBe(0);
        (await K.OkAsync("get", "cm,pods", "-A", "-o", "name", "--field-selector", $"metadata.namespace={ns}")).Should().BeEmpty();
        var create = await K.RunWithInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late}\n", "create", "-f", "-", "-n", ns);
        create.Stderr.Should().Contain($"namespaces \"{ns}\" not found");
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue()
    {
        var ns = await Cluster.NamespaceAsync("pages");
        var yaml = string.Join("---\n", Enumerable.Range(0, 5).Select(i => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{i}}}\n"));
        await K.ApplyAsync(yaml, "-n", ns);
        (await K.OkAsync("get", "cm", "-n", ns, "--chunk-size=2", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Should().Equal("configmap/cm0", "configmap/cm1", "configmap/cm2", "configmap/cm3", "configmap/cm4");
        using var http = Cluster.Http();
        var page = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?limit=2"))!;
        page["items"]!.AsArray().Should().HaveCount(2);
        var token = page["metadata"]!["continue"]!.GetValue<string>();
        var next = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?limit=2&continue={Uri.EscapeDataString(token)}"))!;
        next["items"]![0]!["metadata"]!["name"]!.GetValue<string>().Should().Be("cm2");
    }

    [Fact]
    public async Task Server_side_apply_removes_what_a_manager_stopped_applying()
    {
        var ns = await Cluster.NamespaceAsync("ssa");
        const string First = """
            apiVersion: v1
            kind: Pod
            metadata: {name: applied, labels: {a: "1", b: "2"}}
            spec:
              containers:
              - {name: main, image: cdi.local/cdi:latest, env: [{name: X, value: "1"}, {name: "Y", value: "2"}]}
              - {name: side, image: cdi.local/cdi:latest}
            """;
        var first = await K.RunWithInputAsync(First, "apply", "--server-side", "-f", "-", "-n", ns);
        first.Stdout.Should().Contain("serverside-applied", first.Output);
        await K.RunWithInputAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: applied, labels: {other: \"x\"}}\n", "apply", "--server-side", "--field-manager=other", "-f", "-", "-n", ns);
        const string Second = """
            apiVersion: v1
            kind: Pod
            metadata: {name: applied, labels: {a: "1"}}
            spec:
              containers:
              - {name: main, image: cdi.local/cdi:latest, env: [{name: X, value: "1"}]}
            """;
        (await K.RunWithInputAsync(Second, "apply", "--server-side", "-f", "-", "-n", ns)).ExitCode.Should().Be(0);
        (await K.OkAsync("get", "pod", "applied", "-n", ns, "-o", "jsonpath={.metadata.labels}|{.spec.containers[*].name}|{.spec.containers[0].env[*].name}"))
            .Should().Be("{\"a\":\"1\",\"other\":\"x\"}|main|X");
    }

    [Fact]
    public async Task Generate_name_and_status_subresource_semantics()
    {
        var ns = await Cluster.NamespaceAsync("gen");
        var created = await K.CreateAsync("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {generateName: import-}\nspec: {source: {vddk: {url: \"https://vcenter\", uuid: u, backingFile: f, thumbprint: t, secretRef: s}}, checkpoints: [{previous: \"\", current: c1}], storage: {resources: {requests: {storage: 1Gi}}}}\nstatus: {phase: Succeeded}\n", "-n", ns, "-o", "name");
        var name = created.Trim().Split('/')[1];
        name.Should().MatchRegex("^import-[a-z0-9]{5}$");
        (await K.OkAsync("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}")).Should().BeEmpty("status is not settable on create");
        await K.OkAsync("patch", "dv", name, "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Paused\"},\"spec\":{\"finalCheckpoint\":true}}");
        (await K.OkAsync("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}/{.spec.finalCheckpoint}/{.metadata.generation}")).Should().Be("Paused//1");
        // A multi-stage import's finalCheckpoint is the one spec change DataVolume admission allows.
        await K.OkAsync("patch", "dv", name, "-n", ns, "--type=merge", "-p", "{\"status\":{\"phase\":\"Failed\"},\"spec\":{\"finalCheckpoint\":true}}");
        (await K.OkAsync("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}/{.spec.finalCheckpoint}/{.metadata.generation}")).Should().Be("Paused/true/2");
    }
}
