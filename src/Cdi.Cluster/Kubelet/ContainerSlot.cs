using Cdi.Kube.Models;

namespace Cdi.Cluster.Kubelet;

/// <summary>What the pod runner knows about one container; mutated only under the owning worker's lock.</summary>
internal sealed class ContainerSlot(Container container)
{
    public Container Container { get; } = container;
    public ContainerState State { get; set; } = new() { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } };
    public ContainerState? LastState { get; set; }
    public int RestartCount { get; set; }
    /// <summary>Terminated and will not be restarted.</summary>
    public bool Final { get; set; }
    public bool EverStarted { get; set; }
    public string? ContainerId { get; set; }
    /// <summary>A run the previous node left going and that was killed at this node's start: handled before any new run.</summary>
    public ContainerStateTerminated? Interrupted { get; set; }

    public ContainerStatus ToStatus() => new()
    {
        Name = Container.Name,
        Image = Container.Image,
        ImageID = Container.Image,
        ContainerID = ContainerId,
        Ready = State.Running is not null,
        Started = State.Running is not null,
        RestartCount = RestartCount,
        State = State,
        LastState = LastState,
    };
}
