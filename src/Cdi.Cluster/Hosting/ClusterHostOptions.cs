namespace Cdi.Cluster.Hosting;

/// <summary>How to run the local cluster.</summary>
/// <param name="Directory">The cluster directory: SQLite store, PKI, kubeconfig, pod logs, volumes.</param>
public sealed record ClusterHostOptions(string Directory)
{
    /// <summary>The port on 127.0.0.1; 0 picks a free one (see <see cref="ClusterHost.ApiServerUrl"/>).</summary>
    public int Port { get; init; } = ClusterHost.DefaultPort;

    /// <summary>The upload proxy's port on 127.0.0.1; 0 (the default) picks a free one, published in CDIConfig's status.</summary>
    public int UploadProxyPort { get; init; }

    /// <summary>The container image that means "the cdi binary" to the pod runner.</summary>
    public string Image { get; init; } = ClusterHost.DefaultImage;

    /// <summary>The cdi binary pods using <see cref="Image"/> run as.</summary>
    public string CdiExecutable { get; init; } = Environment.ProcessPath ?? "cdi";

    /// <summary>The cdi-worker binary worker pods run; null: the one beside <see cref="CdiExecutable"/>.</summary>
    public string? WorkerExecutable { get; init; }

    /// <summary>The single node's name; the host's name by default.</summary>
    public string NodeName { get; init; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>How many changes a watch can resume across (older resourceVersions get 410 Gone).</summary>
    public int WatchHistory { get; init; } = 10_000;
}
