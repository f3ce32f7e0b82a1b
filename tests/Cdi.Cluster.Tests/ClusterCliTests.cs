using System.Diagnostics;
using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

/// <summary>`./cdi cluster up --detach` and `./cdi cluster down`, through the real binary.</summary>
public sealed class ClusterCliTests
{
    [Fact]
    public async Task Up_detached_serves_kubectl_is_idempotent_and_down_stops_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cdi-cli-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var up = await CdiAsync("cluster", "up", "--dir", dir, "--port", "0", "--detach");
            up.ExitCode.Should().Be(0, up.Output);
            up.Stdout.Should().Contain("export KUBECONFIG=" + Path.Combine(dir, "kubeconfig"));
            File.Exists(Path.Combine(dir, "cluster.pid")).Should().BeTrue();

            var kubectl = new KubectlRunner(Path.Combine(dir, "kubeconfig"), Path.Combine(dir, "kubecache"));
            (await kubectl.OkAsync("get", "ns")).Should().Contain("default");

            var again = await CdiAsync("cluster", "up", "--dir", dir, "--port", "0", "--detach");
            again.ExitCode.Should().Be(0, again.Output);
            again.Stdout.Should().Contain("already running");

            var down = await CdiAsync("cluster", "down", "--dir", dir);
            down.ExitCode.Should().Be(0, down.Output);
            down.Stdout.Should().Contain("stopped");
            (await kubectl.RunAsync("get", "ns", "--request-timeout=5s")).ExitCode.Should().NotBe(0);
            (await CdiAsync("cluster", "down", "--dir", dir)).Stdout.Should().Contain("no cluster is running");
        }
        finally
        {
            await CdiAsync("cluster", "down", "--dir", dir);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static async Task<ProcessResult> CdiAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "cdi")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return new ProcessResult(p.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cdi.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
