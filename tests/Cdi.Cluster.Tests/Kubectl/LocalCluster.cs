using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Cdi.Cluster.Hosting;

namespace Cdi.Cluster.Tests.Kubectl;

/// <summary>An in-process local cluster in a temporary directory on a free port, with kubectl pointed at it.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private ClusterHost _host;

    private LocalCluster(string dir, ClusterHost host, int watchHistory)
    {
        Directory = dir;
        _host = host;
        WatchHistory = watchHistory;
        Kubectl = new KubectlRunner(Path.Combine(dir, "kubeconfig"), Path.Combine(dir, "kubecache"));
    }

    public string Directory { get; }

    public int WatchHistory { get; }

    public KubectlRunner Kubectl { get; }

    public ClusterContext Context => _host.Context;

    public static async Task<LocalCluster> StartAsync(string? dir = null, int watchHistory = 10_000)
    {
        dir ??= Path.Combine(Path.GetTempPath(), "cdi-cluster-test-" + Guid.NewGuid().ToString("N")[..8]);
        var host = await StartHostAsync(dir, watchHistory);
        return new LocalCluster(dir, host, watchHistory);
    }

    private static async Task<ClusterHost> StartHostAsync(string dir, int watchHistory)
    {
        var host = new ClusterHost(new ClusterHostOptions(dir) { Port = 0, WatchHistory = watchHistory }, []);
        await host.StartAsync(CancellationToken.None);
        return host;
    }

    /// <summary>Stops the API server and starts a new one on the same directory (a "restart").</summary>
    public async Task RestartAsync()
    {
        await _host.DisposeAsync();
        _host = await StartHostAsync(Directory, WatchHistory);
    }

    /// <summary>An HttpClient that trusts the cluster CA and carries the bearer token.</summary>
    public HttpClient Http(bool authenticated = true)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Directory, "pki", "ca.crt"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, chain, _) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert!);
            },
        };
        var http = new HttpClient(handler) { BaseAddress = Context.ApiServerUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (authenticated)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Context.BearerToken);
        }
        return http;
    }

    /// <summary>A fresh namespace, so tests sharing a cluster do not see each other's objects.</summary>
    public async Task<string> NamespaceAsync(string prefix)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        await Kubectl.OkAsync("create", "namespace", name);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
