using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Tests.Support;

/// <summary>
/// One local cluster (the real API server, over real HTTPS on 127.0.0.1) hosted in the test process for the whole
/// collection; the client under test reaches it only through the kubeconfig it writes.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdi-kube-tests-").FullName;
    private ClusterHost? _host;

    public KubeClient Client { get; private set; } = null!;
    public KubeConfig Config { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = new ClusterHost(new ClusterHostOptions(_dir) { Port = 0 }, []);
        await _host.StartAsync(CancellationToken.None);
        Config = KubeConfigLoader.FromFile(_host.KubeconfigPath);
        Client = new KubeClient(Config);
    }

    /// <summary>A fresh namespace per test keeps tests independent in the shared cluster.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = name } });
        return name;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping server: the temp folder is cleaned up later.
        }
    }
}
