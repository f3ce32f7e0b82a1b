using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class KubectlBasicsTests(SharedCluster shared)
{
    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    [Fact]
    public async Task Version_reports_the_server()
    {
        var output = await K.OkAsync("version");
        output.Should().Contain("Server Version: v1.32");
    }

    [Fact]
    public async Task Get_namespaces_lists_the_system_namespaces_and_a_ready_node()
    {
        var ns = await K.OkAsync("get", "ns");
        ns.Should().Contain("default").And.Contain("kube-system").And.Contain("Active");
        var nodes = await K.OkAsync("get", "nodes");
        nodes.Should().Contain("Ready");
        (await K.OkAsync("auth", "can-i", "create", "pods")).Trim().Should().Be("yes");
        (await K.OkAsync("api-resources")).Should().MatchRegex(@"datavolumes\s+dv,dvs\s+cdi.kubevirt.io/v1beta1\s+true\s+DataVolume");
    }

    [Fact]
    public async Task Create_then_get_in_every_output_format()
    {
        var ns = await Cluster.NamespaceAsync("create");
        var created = await K.CreateAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, labels: {tier: web}}
            data: {color: blue}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            stringData: {user: admin}
            type: Opaque
            """, "-n", ns);
        created.Should().Contain("configmap/settings created").And.Contain("secret/creds created");

        (await K.OkAsync("get", "cm", "settings", "-n", ns, "-o", "yaml")).Should().Contain("color: blue").And.Contain("resourceVersion:");
        (await K.OkAsync("get", "cm", "settings", "-n", ns, "-o", "json")).Should().Contain("\"color\": \"blue\"");
        (await K.OkAsync("get", "cm", "settings", "-n", ns, "-o", "jsonpath={.data.color}")).Should().Be("blue");
        (await K.OkAsync("get", "cm", "-n", ns, "-l", "tier=web", "-o", "name")).Should().Contain("configmap/settings");
        (await K.OkAsync("get", "cm", "-n", ns, "-l", "tier notin (web)", "-o", "name")).Should().NotContain("settings");
        (await K.OkAsync("get", "secret", "creds", "-n", ns)).Should().Contain("Opaque");
        (await K.OkAsync("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.data.user}{.stringData}")).Should().Be("YWRtaW4=", "stringData is folded into data");
        (await K.OkAsync("get", "sa", "default", "-n", ns, "-o", "name")).Should().Be("serviceaccount/default\n");

        var again = await K.RunWithInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n", "create", "-f", "-", "-n", ns);
        again.ExitCode.Should().NotBe(0);
        again.Stderr.Should().Contain("configmaps \"settings\" already exists");
    }

    [Fact]
    public async Task Typed_create_subcommands_work_over_protobuf()
    {
        var ns = await Cluster.NamespaceAsync("typed");
        await K.OkAsync("create", "configmap", "cfg", "-n", ns, "--from-literal=a=1", "--from-literal=b=2");
        await K.OkAsync("create", "secret", "generic", "pw", "-n", ns, "--from-literal=password=s3cret");
        await K.OkAsync("create", "quota", "limits", "-n", ns, "--hard=pods=4,requests.storage=20Gi");
        await K.OkAsync("create", "serviceaccount", "robot", "-n", ns);
        await K.OkAsync("create", "service", "clusterip", "upload", "-n", ns, "--tcp=443:8443");
        (await K.OkAsync("get", "svc", "upload", "-n", ns, "-o", "jsonpath={.spec.ports[0].port}:{.spec.ports[0].targetPort}")).Should().Be("443:8443");
        (await K.OkAsync("get", "svc", "upload", "-n", ns)).Should().MatchRegex(@"upload\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+443/TCP");
        (await K.OkAsync("get", "cm", "cfg", "-n", ns, "-o", "jsonpath={.data.a}{.data.b}")).Should().Be("12");
        var secret = await K.OkAsync("get", "secret", "pw", "-n", ns, "-o", "jsonpath={.data.password}");
        System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(secret)).Should().Be("s3cret");
        (await K.OkAsync("get", "quota", "limits", "-n", ns, "-o", "jsonpath={.spec.hard.requests\\.storage}")).Should().Be("20Gi");
        (await K.OkAsync("get", "sa", "-n", ns)).Should().Contain("robot");
    }

    [Fact]
    public async Task Apply_twice_creates_then_updates()
    {
        var ns = await Cluster.NamespaceAsync("apply");
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: main
                image: cdi.local/cdi:latest
                env: [{name: MODE, value: "one"}]
            """;
        (await K.ApplyAsync(Pod, "-n", ns)).Should().Contain("pod/web created");
        (await K.ApplyAsync(Pod.Replace("\"one\"", "\"two\"", StringComparison.Ordinal), "-n", ns)).Should().Contain("pod/web configured");
        (await K.OkAsync("get", "pod", "web", "-n", ns, "-o", "jsonpath={.spec.containers[0].env[0].value}")).Should().Be("two");
        (await K.ApplyAsync(Pod.Replace("\"one\"", "\"two\"", StringComparison.Ordinal), "-n", ns)).Should().Contain("pod/web unchanged");

        (await K.OkAsync("label", "pod", "web", "-n", ns, "app=web")).Should().Contain("labeled");
        (await K.OkAsync("annotate", "pod", "web", "-n", ns, "note=hi")).Should().Contain("annotated");
        (await K.OkAsync("get", "pod", "web", "-n", ns, "--show-labels")).Should().Contain("app=web");
        (await K.OkAsync("get", "pods", "-n", ns)).Should().Contain("READY").And.Contain("STATUS").And.Contain("0/1").And.Contain("Pending");
    }

    [Fact]
    public async Task Describe_shows_the_events_of_an_object()
    {
        var ns = await Cluster.NamespaceAsync("describe");
        await K.ApplyAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: worker}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n", "-n", ns);
        var uid = await K.OkAsync("get", "pod", "worker", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.CreateAsync($$"""
            apiVersion: v1
            kind: Event
            metadata: {name: worker.1}
            involvedObject: {apiVersion: v1, kind: Pod, name: worker, namespace: {{ns}}, uid: {{uid}}}
            reason: ImportScheduled
            message: Import into worker scheduled
            type: Normal
            count: 1
            firstTimestamp: "2026-01-01T00:00:00Z"
            lastTimestamp: "2026-01-01T00:00:00Z"
            source: {component: test}
            """, "-n", ns);
        var describe = await K.OkAsync("describe", "pod", "worker", "-n", ns);
        describe.Should().Contain("ImportScheduled").And.Contain("Import into worker scheduled");
        (await K.OkAsync("get", "events", "-n", ns)).Should().Contain("ImportScheduled").And.Contain("pod/worker");
    }

    [Fact]
    public async Task Events_written_through_events_k8s_io_are_core_events_too()
    {
        var ns = await Cluster.NamespaceAsync("eventsv1");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: subject}\n", "-n", ns);
        await K.CreateAsync($$"""
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: subject.2}
            regarding: {apiVersion: v1, kind: ConfigMap, name: subject, namespace: {{ns}}}
            reason: Checked
            note: looked at it
            type: Normal
            action: Check
            reportingController: cdi.local/test
            reportingInstance: test-1
            eventTime: "2026-01-01T00:00:00.000000Z"
            """, "-n", ns);
        (await K.OkAsync("get", "events", "-n", ns, "-o", "jsonpath={.items[0].message}/{.items[0].involvedObject.name}")).Should().Be("looked at it/subject");
        (await K.OkAsync("get", "events.v1.events.k8s.io", "-n", ns, "-o", "jsonpath={.items[0].note}/{.items[0].regarding.kind}")).Should().Be("looked at it/ConfigMap");
        (await K.OkAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=subject", "-o", "name")).Should().Contain("subject.2");
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        var ns = await Cluster.NamespaceAsync("delete");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: doomed}\n", "-n", ns);
        (await K.OkAsync("delete", "cm", "doomed", "-n", ns)).Should().Contain("deleted");
        var get = await K.RunAsync("get", "cm", "doomed", "-n", ns);
        get.ExitCode.Should().NotBe(0);
        get.Stderr.Should().Contain("configmaps \"doomed\" not found");
    }

    [Fact]
    public async Task Logs_reads_the_pod_runner_log_file()
    {
        var ns = await Cluster.NamespaceAsync("logs");
        await K.ApplyAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: importer}\nspec:\n  containers: [{name: importer, image: cdi.local/cdi:latest}]\n", "-n", ns);
        var log = PodPaths.LogFile(Cluster.Directory, ns, "importer", "importer");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "starting\nconverting\ndone\n");
        (await K.OkAsync("logs", "importer", "-n", ns)).Should().Be("starting\nconverting\ndone\n");
        (await K.OkAsync("logs", "importer", "-n", ns, "--tail=1")).Should().Be("done\n");
        (await K.RunAsync("logs", "importer", "-n", ns, "--previous")).Stderr.Should().Contain("previous terminated container \"importer\" in pod \"importer\" not found");
        await File.WriteAllTextAsync(PodPaths.PreviousLogFile(Cluster.Directory, ns, "importer", "importer"), "crashed\n");
        (await K.OkAsync("logs", "importer", "-n", ns, "--previous")).Should().Be("crashed\n");
    }

    [Fact]
    public async Task Logs_follow_streams_until_the_pod_finishes()
    {
        var ns = await Cluster.NamespaceAsync("follow");
        await K.ApplyAsync("apiVersion: v1\nkind: Pod\nmetadata: {name: runner}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n", "-n", ns);
        await K.OkAsync("patch", "pod", "runner", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Running\"}}");
        var log = PodPaths.LogFile(Cluster.Directory, ns, "runner", "c");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await File.WriteAllTextAsync(log, "first\n");
        await using var follow = new StreamingProcess(K.StartInfo(["logs", "-f", "runner", "-n", ns]));
        (await follow.WaitForAsync(o => o.Contains("first", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Should().BeTrue(follow.Output);
        await File.AppendAllTextAsync(log, "second\n");
        (await follow.WaitForAsync(o => o.Contains("second", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Should().BeTrue(follow.Output);
        await K.OkAsync("patch", "pod", "runner", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Succeeded\"}}");
        (await follow.ExitCodeAsync(TimeSpan.FromSeconds(30))).Should().Be(0, follow.Output);
    }
}
