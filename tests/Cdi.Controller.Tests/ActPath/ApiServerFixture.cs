using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Controller.Tests.ActPath;

/// <summary>
/// The local cluster's API server (real HTTPS, real storage and admission) hosted in the test process, with no pod
/// runner or provisioner: tests play the kubelet and the binder by writing statuses themselves.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdi-controller-tests-").FullName;
    private ClusterHost? _host;

    public KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = new ClusterHost(new ClusterHostOptions(_dir) { Port = 0 }, []);
        await _host.StartAsync(CancellationToken.None);
        Client = new KubeClient(KubeConfigLoader.FromFile(_host.KubeconfigPath));
    }

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

[CollectionDefinition(Name)]
public sealed class ApiServerCollection : ICollectionFixture<ApiServerFixture>
{
    public const string Name = "in-process API server";
}
