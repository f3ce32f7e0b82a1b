using Cdi.Kube.Runtime;

namespace Cdi.Cluster.Controllers;

/// <summary>An in-process control loop of the API server (garbage collector, namespace lifecycle, quota usage).</summary>
internal interface IController
{
    string Name { get; }

    /// <summary>How the loop fares (null before it runs): what the API server's <c>/readyz?verbose</c> reports.</summary>
    ControllerHealth? Health { get; }

    Task RunAsync(CancellationToken stopping);
}
