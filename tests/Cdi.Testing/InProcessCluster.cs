using Cdi.Cluster;
using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Testing;

/// <summary>
/// The local cluster's API server (real HTTPS on 127.0.0.1, real storage and admission) hosted in the test process,
/// with the components a test asks for (none: tests play the kubelet and the binder themselves), in a temporary folder.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private readonly ClusterHost _host;

    private InProcessCluster(string directory, ClusterHost host, KubeConfig config)
    {
        Directory = directory;
        _host = host;
        Config = config;
        Client = new KubeClient(config);
    }

    public string Directory { get; }
    public KubeConfig Config { get; }
    public KubeClient Client { get; }
    public string KubeconfigPath => _host.KubeconfigPath;
    public ClusterContext Context => _host.Context;

    /// <param name="folderPrefix">The temporary folder's prefix, naming the suite that left it.</param>
    /// <param name="options">Options beyond the folder and a free port (for example the cdi binary pods run).</param>
    public static async Task<InProcessCluster> StartAsync(string folderPrefix, IReadOnlyList<IClusterComponent>? components = null,
        Func<ClusterHostOptions, ClusterHostOptions>? options = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var settings = new ClusterHostOptions(directory) { Port = 0 };
        var host = new ClusterHost(options?.Invoke(settings) ?? settings, components ?? []);
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        return new InProcessCluster(directory, host, KubeConfigLoader.FromFile(host.KubeconfigPath));
    }

    /// <summary>A fresh namespace per test keeps tests independent in a shared cluster.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t-")
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..10];
        await Client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = name } }).ConfigureAwait(false);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a stopping server: the temp folder is cleaned up later.
        }
    }
}
