namespace Cdi.Cluster.Controllers;

/// <summary>An in-process control loop of the API server (garbage collector, namespace lifecycle, quota usage).</summary>
internal interface IController
{
    string Name { get; }

    Task RunAsync(CancellationToken stopping);
}
