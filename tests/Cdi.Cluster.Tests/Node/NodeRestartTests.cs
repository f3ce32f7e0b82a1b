using System.Diagnostics;
using Cdi.Cluster.Hosting;
using Cdi.Cluster.Tests.Kubectl;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// A pod's containers never run twice: a cluster process killed with SIGKILL leaves its pod processes running, and the
/// next `cluster up` kills them before running the pod again; `cluster down` returns only once they are gone. Real
/// `./cdi cluster up --detach` processes; the long-running container is a nested cluster, which serves until stopped.
/// </summary>
public sealed class NodeRestartTests
{
    private static readonly string[] LongRunning = ["cdi", "cluster", "up", "--dir", "inner", "--port", "0"];

    [Fact]
    public async Task Pods_left_by_a_killed_cluster_are_killed_at_restart_and_restarted_by_policy()
    {
        var dir = NewDirectory();
        try
        {
            await UpAsync(dir);
            using (var client = ClientFor(dir))
            {
                await client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = "t" } });
                await client.CreateAsync(KubeResources.Pods, NodeObjects.Pod("t", "always", ClusterHost.DefaultImage, LongRunning, restartPolicy: "Always"));
                await client.CreateAsync(KubeResources.Pods, NodeObjects.Pod("t", "never", ClusterHost.DefaultImage, LongRunning, restartPolicy: "Never"));
                await PodAsync(client, "always", p => First(p)?.State?.Running is not null, "Running");
                await PodAsync(client, "never", p => First(p)?.State?.Running is not null, "Running");
            }
            var alwaysDir = Path.Combine(dir, "pods", "t", "always");
            var neverDir = Path.Combine(dir, "pods", "t", "never");
            await NodeWait.UntilAsync(() => LocalProcesses.RunningIn(alwaysDir).Count == 1 && LocalProcesses.RunningIn(neverDir).Count == 1,
                "both container processes");
            var oldAlways = LocalProcesses.RunningIn(alwaysDir).Single();
            var oldNever = LocalProcesses.RunningIn(neverDir).Single();

            var clusterPid = int.Parse(File.ReadAllText(Path.Combine(dir, "cluster.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            using (var cluster = Process.GetProcessById(clusterPid))
            {
                cluster.Kill(entireProcessTree: false);
                await cluster.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            IsAlive(oldAlways).Should().BeTrue("a SIGKILLed cluster cannot stop its pods: they are orphaned");
            IsAlive(oldNever).Should().BeTrue();

            // While the new node starts, no observation may see two processes for one pod.
            using var watching = new CancellationTokenSource();
            var maxSeen = 0;
            var watcher = Task.Run(async () =>
            {
                using var samples = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
                do
                {
                    maxSeen = Math.Max(maxSeen, Math.Max(LocalProcesses.RunningIn(alwaysDir).Count, LocalProcesses.RunningIn(neverDir).Count));
                }
                while (!watching.IsCancellationRequested && await samples.WaitForNextTickAsync());
            });
            await UpAsync(dir);
            using (var client = ClientFor(dir))
            {
                var never = await PodAsync(client, "never", p => p.Status?.Phase == "Failed", "Failed after the node restart");
                First(never)!.State!.Terminated!.ExitCode.Should().Be(137);
                First(never)!.State!.Terminated!.Reason.Should().Be("NodeRestarted");
                var always = await PodAsync(client, "always", p => First(p)?.RestartCount >= 1 && First(p)?.State?.Running is not null,
                    "running again with one more restart", seconds: 60);
                First(always)!.LastState!.Terminated!.Reason.Should().Be("NodeRestarted");
                First(always)!.LastState!.Terminated!.ExitCode.Should().Be(137);
            }
            await NodeWait.UntilAsync(() => LocalProcesses.RunningIn(alwaysDir).Count == 1, "the restarted container process");
            await watching.CancelAsync();
            await watcher;

            IsAlive(oldAlways).Should().BeFalse("the new node kills what the old one left");
            IsAlive(oldNever).Should().BeFalse();
            LocalProcesses.RunningIn(neverDir).Should().BeEmpty();
            LocalProcesses.RunningIn(alwaysDir).Single().Should().NotBe(oldAlways);
            maxSeen.Should().BeLessThanOrEqualTo(1, "a pod's container never runs twice at once");
        }
        finally
        {
            await CleanUpAsync(dir);
        }
    }

    [Fact]
    public async Task Cluster_down_returns_only_once_its_pod_processes_are_gone()
    {
        var dir = NewDirectory();
        try
        {
            await UpAsync(dir);
            using (var client = ClientFor(dir))
            {
                await client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = "t" } });
                await client.CreateAsync(KubeResources.Pods, NodeObjects.Pod("t", "long", ClusterHost.DefaultImage, LongRunning, restartPolicy: "Always"));
                await PodAsync(client, "long", p => First(p)?.State?.Running is not null, "Running");
            }
            var podDir = Path.Combine(dir, "pods", "t", "long");
            await NodeWait.UntilAsync(() => LocalProcesses.RunningIn(podDir).Count == 1, "the container process");
            var pid = LocalProcesses.RunningIn(podDir).Single();
            File.Exists(Path.Combine(podDir, "main.pid")).Should().BeTrue("a running container's pid is recorded");

            var down = await CdiAsync("cluster", "down", "--dir", dir);
            down.ExitCode.Should().Be(0, down.Output);

            IsAlive(pid).Should().BeFalse("cluster down waits for its pods' processes");
            LocalProcesses.RunningIn(podDir).Should().BeEmpty();
            File.Exists(Path.Combine(podDir, "main.pid")).Should().BeFalse("the record goes with the process");
        }
        finally
        {
            await CleanUpAsync(dir);
        }
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "cdi-node-restart-" + Guid.NewGuid().ToString("N")[..8]);

    // A zombie (killed, not yet reaped by its new parent) has ended.
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task UpAsync(string dir)
    {
        var up = await CdiAsync("cluster", "up", "--dir", dir, "--port", "0", "--detach");
        up.ExitCode.Should().Be(0, up.Output);
    }

    private static async Task CleanUpAsync(string dir)
    {
        await CdiAsync("cluster", "down", "--dir", dir);
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private static KubeClient ClientFor(string dir) => new(KubeConfigLoader.FromFile(Path.Combine(dir, "kubeconfig")));

    private static ContainerStatus? First(Pod p) => p.Status?.ContainerStatuses?.FirstOrDefault();

    private static Task<Pod> PodAsync(KubeClient client, string name, Func<Pod, bool> condition, string what, int seconds = 40) =>
        NodeWait.ForAsync(() => client.TryGetAsync(KubeResources.Pods, name, "t"), condition, $"pod {name}: {what}", seconds);

    private static async Task<ProcessResult> CdiAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "cdi")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return new ProcessResult(p.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cdi.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cdi.slnx not found");
    }
}
