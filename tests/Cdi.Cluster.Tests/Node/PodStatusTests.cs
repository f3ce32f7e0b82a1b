using Cdi.Cluster.Kubelet;
using Cdi.Kube.Models;

namespace Cdi.Cluster.Tests.Node;

public sealed class PodStatusTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ContainerSlot Slot(string name, ContainerState state, bool final = false, bool started = true) =>
        new(new Container { Name = name, Image = "cdi" }) { State = state, Final = final, EverStarted = started };

    private static ContainerState Exited(int code) => new() { Terminated = new ContainerStateTerminated { ExitCode = code } };

    [Fact]
    public void Phase_follows_the_containers()
    {
        var builder = new PodStatusBuilder("127.1.0.1");
        builder.Build([Slot("a", new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ContainerCreating" } }, started: false)], null, Now, Now)
            .Phase.Should().Be("Pending");
        builder.Build([Slot("a", new ContainerState { Running = new ContainerStateRunning() })], null, Now, Now).Phase.Should().Be("Running");
        builder.Build([Slot("a", Exited(0), final: true), Slot("b", new ContainerState { Running = new ContainerStateRunning() })], null, Now, Now)
            .Phase.Should().Be("Running");
        builder.Build([Slot("a", Exited(0), final: true), Slot("b", Exited(0), final: true)], null, Now, Now).Phase.Should().Be("Succeeded");
        builder.Build([Slot("a", Exited(0), final: true), Slot("b", Exited(3), final: true)], null, Now, Now).Phase.Should().Be("Failed");
    }

    [Fact]
    public void Conditions_keep_their_transition_time_while_unchanged()
    {
        var builder = new PodStatusBuilder("127.1.0.1");
        var running = new ContainerState { Running = new ContainerStateRunning() };
        builder.Build([Slot("a", running)], null, Now, Now);
        var later = builder.Build([Slot("a", running)], null, Now, Now.AddMinutes(1));
        later.Conditions!.Single(c => c.Type == "Ready").LastTransitionTime.Should().Be(Now);
        var done = builder.Build([Slot("a", Exited(0), final: true)], null, Now, Now.AddMinutes(2));
        var ready = done.Conditions!.Single(c => c.Type == "Ready");
        ready.Status.Should().Be("False");
        ready.Reason.Should().Be("PodCompleted");
        ready.LastTransitionTime.Should().Be(Now.AddMinutes(2));
    }

    [Fact]
    public void Unschedulable_pods_are_Pending_with_the_reason()
    {
        var status = new PodStatusBuilder("127.1.0.1").Build([], ("Unschedulable", "persistentvolumeclaim \"x\" not found"), null, Now);
        status.Phase.Should().Be("Pending");
        status.Conditions.Should().ContainSingle().Which.Should().Match<PodCondition>(c =>
            c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable" && c.Message == "persistentvolumeclaim \"x\" not found");
    }
}
