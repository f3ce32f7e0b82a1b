namespace Cdi.Kube.Runtime;

/// <summary>What any running controller shows the outside (health endpoints, metrics), whatever its key type.</summary>
public interface IControllerStatus
{
    string Name { get; }

    ControllerHealth Health { get; }

    ReconcileMetrics Metrics { get; }
}
