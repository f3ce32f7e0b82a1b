using Cdi.Cluster.Hosting;

namespace Cdi.Cli.Demo;

/// <summary>The local cluster the demo runs on: the one already running in the directory, or one it starts (and later stops).</summary>
internal sealed class DemoCluster
{
    private DemoCluster(string directory, bool startedHere)
    {
        Directory = directory;
        StartedHere = startedHere;
    }

    public string Directory { get; }
    public bool StartedHere { get; }
    public string Kubeconfig => ClusterFiles.Kubeconfig(Directory);

    public static async Task<DemoCluster> StartOrReuseAsync(string directory, CancellationToken cancellationToken)
    {
        if (ClusterLauncher.IsRunning(directory))
        {
            return new DemoCluster(directory, startedHere: false);
        }
        await new ClusterLauncher(TimeProvider.System)
            .StartDetachedAsync(directory, Environment.ProcessPath ?? "cdi", ["cluster", "up", "--dir", directory, "--port", "0"], cancellationToken)
            .ConfigureAwait(false);
        return new DemoCluster(directory, startedHere: true);
    }

    public async Task StopIfStartedAsync(CancellationToken cancellationToken)
    {
        if (StartedHere)
        {
            await new ClusterLauncher(TimeProvider.System).StopAsync(Directory, cancellationToken).ConfigureAwait(false);
        }
    }
}
