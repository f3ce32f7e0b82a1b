using System.Diagnostics;
using Cdi.Cluster.Hosting;
using Cdi.Cluster.Kubelet;
using Cdi.Cluster.Provisioner;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// A local cluster hosted in-process with the node side (provisioner and pod runner) running the real cdi binary
/// built by ./cdi. CrashLoopBackOff starts at 1 s here instead of the kubelet's 10 s to keep the suite short.
/// </summary>
public sealed class NodeClusterFixture : IAsyncLifetime
{
    private ClusterHost? _host;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("cdi-node-tests-").FullName;
    public KubeClient Client { get; private set; } = null!;
    public string KubeconfigPath { get; private set; } = "";
    public ClusterContext Context { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cdi = await BuildCdiAsync();
        var options = new ClusterHostOptions(Directory) { Port = 0, CdiExecutable = cdi };
        var runner = new PodRunner(new PodRunnerOptions { NodeName = options.NodeName, InitialRestartBackoff = TimeSpan.FromSeconds(1) });
        _host = new ClusterHost(options, [new HostPathProvisioner(), runner]);
        await _host.StartAsync(CancellationToken.None);
        Context = _host.Context;
        KubeconfigPath = _host.KubeconfigPath;
        Client = new KubeClient(KubeConfigLoader.FromFile(KubeconfigPath));
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "n-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = name } });
        return name;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    // ./cdi builds the CLI when its sources changed (test.sh has already done so) and runs it.
    private static async Task<string> BuildCdiAsync()
    {
        var root = RepositoryRoot();
        using var build = Process.Start(new ProcessStartInfo(Path.Combine(root, "cdi"), "--help")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
        })!;
        var stderr = build.StandardError.ReadToEndAsync();
        await build.StandardOutput.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException("./cdi --help failed: " + await stderr);
        return Path.Combine(root, ".build", "cli", "cdi");
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
