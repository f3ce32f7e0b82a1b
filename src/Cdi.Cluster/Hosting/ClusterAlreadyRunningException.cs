namespace Cdi.Cluster.Hosting;

/// <summary>Another API server process already serves this cluster directory.</summary>
public sealed class ClusterAlreadyRunningException(string directory)
    : Exception($"a cluster is already running in {directory}")
{
    public string Directory { get; } = directory;
}
