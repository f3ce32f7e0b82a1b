namespace Cdi.Cluster;

/// <summary>
/// A part of the local cluster that runs beside the API server (volume provisioner, pod runner, cdi controller):
/// started once the API server listens, stopped when the cluster goes down.
/// </summary>
public interface IClusterComponent
{
    string Name { get; }

    /// <summary>Runs until <paramref name="stopping"/> fires. <paramref name="context"/> says where the API server is.</summary>
    Task RunAsync(ClusterContext context, CancellationToken stopping);
}
