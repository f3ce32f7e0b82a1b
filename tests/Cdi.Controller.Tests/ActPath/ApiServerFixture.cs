using Cdi.Kube.Rest;
using Cdi.Testing;

namespace Cdi.Controller.Tests.ActPath;

/// <summary>
/// The local cluster's API server hosted in the test process, with no pod runner or provisioner: tests play the
/// kubelet and the binder by writing statuses themselves.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private InProcessCluster? _cluster;

    private InProcessCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster is not started");
    public KubeClient Client => Cluster.Client;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync("cdi-controller-tests-");

    public Task<string> NewNamespaceAsync() => Cluster.NewNamespaceAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiServerCollection : ICollectionFixture<ApiServerFixture>
{
    public const string Name = "in-process API server";
}
