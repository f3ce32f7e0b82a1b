namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>One cluster for the kubectl tests of a class (each test works in its own namespace).</summary>
public sealed class SharedCluster : IAsyncLifetime
{
    private LocalCluster? _cluster;

    public LocalCluster Cluster => _cluster!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
