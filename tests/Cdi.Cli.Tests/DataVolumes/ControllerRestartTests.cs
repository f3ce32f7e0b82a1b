using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>The controller killed mid-import: a new one adopts the running importer, never starts a second, keeps the status.</summary>
public sealed class ControllerRestartTests : IDisposable
{
    private readonly TempDirectory _images = new("cdi-restart");
    private readonly NginxServer _server;
    private readonly LocalCluster _cluster = new(withController: false);

    public ControllerRestartTests()
    {
        ProcessRunner.Sh($"head -c 40M /dev/urandom > '{_images.File("slow.raw")}'");
        _server = new NginxServer(_images.Path);
    }

    private readonly List<Process> _controllers = [];
    private readonly ConcurrentQueue<string> _stderr = new();

    public void Dispose()
    {
        // A failed wait must not leave a controller running after the test.
        foreach (var p in _controllers)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        _cluster.Dispose();
        _server.Dispose();
        _images.Dispose();
    }

    private Process StartController(params string[] extra)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, ".build", "cli", "cdi"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "controller", "--kubeconfig", _cluster.Kubeconfig, "--importer-image", "cdi.local/cdi:latest" }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        _controllers.Add(p);
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line) _stderr.Enqueue(line);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    [Fact]
    public void Killed_controller_is_replaced_without_a_second_importer_or_a_lost_status()
    {
        var ns = _cluster.NewNamespace();
        // Leader election is on by default: its Lease lives in cdi's namespace, as on a real cluster. The replacement
        // takes the lease over once the killed holder's expires.
        _cluster.Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cdi\n");
        // A controller on its own denies importers private addresses (the SSRF guard); the administrator allows the
        // image server's network in CDIConfig, as on a real cluster.
        _cluster.Apply("""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: CDIConfig
            metadata:
              name: config
            spec:
              allowedNetworks: ["127.0.0.0/8"]
            """);
        var first = StartController();
        _cluster.Apply(DataVolumeManifests.Http("slow", _server.SlowUrl("slow.raw")), ns);
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "ImportInProgress",
            TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "slow", "-n", ns).Stdout);
        var uid = _cluster.Ok("get", "pod", "importer-slow", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        first.Kill(entireProcessTree: true);
        first.WaitForExit();

        _cluster.Ok("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.phase}").Should().Be("ImportInProgress", "the status survives the controller");
        var second = StartController();
        try
        {
            LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
                TimeSpan.FromMinutes(3), () => _cluster.Kubectl("describe", "dv", "slow", "-n", ns).Stdout);
            _cluster.Ok("get", "events", "-n", ns, "--field-selector", "reason=ImportScheduled", "-o", "name").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Should().HaveCount(1, "the new controller adopted the running importer pod {0} rather than starting another", uid);
            _cluster.Ok("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.restartCount}").Should().Be("0");
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            second.WaitForExit();
        }
    }

    [Fact]
    public async Task Controller_serves_readiness_and_metrics_and_says_why_it_cannot_lead()
    {
        var refused = ProcessRunner.Run(Path.Combine(RepoPaths.Root, ".build", "cli", "cdi"),
            ["controller", "--kubeconfig", _cluster.Kubeconfig, "--importer-image", "x", "--metrics-bind-address", "everywhere"]);
        refused.ExitCode.Should().Be(2);
        refused.Stderr.Trim().Should().Be("error: --metrics-bind-address everywhere: expected HOST:PORT, :PORT or 0 (off)");

        var port = FreePort.Next();
        StartController("--metrics-bind-address", $"127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        // No namespace cdi yet: the lease cannot be taken, and the controller says why instead of waiting in silence.
        await Poll.OrThrowAsync(() => _stderr.Any(l => l.StartsWith("warning: cannot take the lease cdi/cdi-controller:", StringComparison.Ordinal) && l.Contains("not found", StringComparison.Ordinal)),
            TimeSpan.FromMinutes(1), () => "a warning naming the missing namespace; stderr: " + string.Join('\n', _stderr));
        _stderr.Count(l => l.StartsWith("warning: cannot take the lease", StringComparison.Ordinal)).Should().Be(1, "the same reason is said once");
        (await http.GetStringAsync("/readyz")).Should().Be("ok", "a replica waiting for the lease runs no controller and is ready to take over");

        _cluster.Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cdi\n");
        var ns = _cluster.NewNamespace();
        _cluster.Apply(DataVolumeManifests.Blank("one"), ns);
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "one", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
            TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "one", "-n", ns).Stdout);

        var ready = await http.GetStringAsync("/readyz?verbose");
        ready.Should().Contain("[+]controller/datavolume ok").And.Contain("[+]controller/cluster-settings ok").And.EndWith("readyz check passed\n");
        var metrics = await http.GetStringAsync("/metrics");
        metrics.Should().Contain("# TYPE controller_runtime_reconcile_total counter")
            .And.MatchRegex(@"controller_runtime_reconcile_total\{controller=""datavolume"",result=""success""\} [1-9]")
            .And.MatchRegex(@"controller_runtime_reconcile_time_seconds_count\{controller=""datavolume""\} [1-9]")
            .And.Contain("workqueue_depth{name=\"datavolume\"}")
            .And.Contain("cdi_controller_informer_failing{controller=\"datavolume\",resource=\"datavolumes\"} 0");
        using var post = await http.PostAsync("/metrics", new StringContent("x"));
        post.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed, "the endpoints are read-only");
    }

    [Fact]
    public void By_default_one_replica_leads_and_another_takes_over_when_it_dies()
    {
        _cluster.Apply("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cdi\n");
        var a = StartController();
        var b = StartController();
        string Holder() => _cluster.Kubectl("get", "lease", "cdi-controller", "-n", "cdi", "-o", "jsonpath={.spec.holderIdentity}").Stdout;
        LocalCluster.WaitUntil(() => Holder().Length > 0, TimeSpan.FromMinutes(1), () => "a replica takes the lease");
        var first = Holder();
        var (leader, standby) = first.EndsWith("-" + a.Id, StringComparison.Ordinal) ? (a, b) : (b, a);
        first.Should().EndWith("-" + leader.Id);

        var ns = _cluster.NewNamespace();
        _cluster.Apply(DataVolumeManifests.Blank("one"), ns);
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "one", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
            TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "one", "-n", ns).Stdout);

        leader.Kill(entireProcessTree: true);
        leader.WaitForExit();
        LocalCluster.WaitUntil(() => Holder().EndsWith("-" + standby.Id, StringComparison.Ordinal), TimeSpan.FromMinutes(1),
            () => $"the standby takes over the lease (holder: {Holder()})");
        _cluster.Apply(DataVolumeManifests.Blank("two"), ns);
        try
        {
            LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "two", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
                TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "two", "-n", ns).Stdout);
        }
        finally
        {
            standby.Kill(entireProcessTree: true);
            standby.WaitForExit();
        }
    }
}
