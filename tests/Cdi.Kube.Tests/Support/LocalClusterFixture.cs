using Cdi.Kube.Config;
using Cdi.Kube.Rest;
using Cdi.Testing;

namespace Cdi.Kube.Tests.Support;

/// <summary>
/// One local cluster hosted in the test process for the whole collection; the client under test reaches it only
/// through the kubeconfig it writes.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    private InProcessCluster? _cluster;

    private InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");
    public KubeClient Client => Cluster.Client;
    public KubeConfig Config => Cluster.Config;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync("cdi-kube-tests-");

    public Task<string> NewNamespaceAsync() => Cluster.NewNamespaceAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
