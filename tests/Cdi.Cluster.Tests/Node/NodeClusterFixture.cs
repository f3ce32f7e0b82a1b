using Cdi.Cluster.Kubelet;
using Cdi.Cluster.Provisioner;
using Cdi.Kube.Rest;
using Cdi.Testing;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// A local cluster hosted in-process with the node side (provisioner and pod runner) running the real cdi binary
/// built by ./cdi (and the native cdi-worker for worker pods). CrashLoopBackOff starts at 1 s here instead of the kubelet's 10 s to keep the suite short.
/// </summary>
public sealed class NodeClusterFixture : IAsyncLifetime
{
    private InProcessCluster? _cluster;

    private InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");
    public string Directory => Cluster.Directory;
    public KubeClient Client => Cluster.Client;
    public string KubeconfigPath => Cluster.KubeconfigPath;
    public ClusterContext Context => Cluster.Context;

    public async Task InitializeAsync()
    {
        // ./cdi builds the CLI when its sources changed (test.sh has already done so); pods run that binary.
        var cdi = await Task.Run(RepoPaths.CdiBinary);
        var worker = RepoPaths.WorkerBinary();
        _cluster = await InProcessCluster.StartAsync("cdi-node-tests-", options: o => o with { CdiExecutable = cdi, WorkerExecutable = worker },
            components: [new HostPathProvisioner(), NewRunner()]);

        static PodRunner NewRunner() => new(new PodRunnerOptions { InitialRestartBackoff = TimeSpan.FromSeconds(1) });
    }

    public Task<string> NewNamespaceAsync() => Cluster.NewNamespaceAsync("n-");

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
