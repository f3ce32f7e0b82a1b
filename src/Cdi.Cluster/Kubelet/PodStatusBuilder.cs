using Cdi.Kube.Models;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Derives phase and conditions from the containers' states, keeping each condition's transition time stable.
/// <paramref name="podIP"/> is the pod's own loopback address (see <see cref="PodAddressPool"/>); the host is 127.0.0.1.
/// </summary>
internal sealed class PodStatusBuilder(string podIP)
{
    private readonly Dictionary<string, PodCondition> _conditions = new(StringComparer.Ordinal);

    public PodStatus Build(IReadOnlyList<ContainerSlot> slots, (string Reason, string Message)? unschedulable, DateTimeOffset? startTime,
        DateTimeOffset now)
    {
        if (unschedulable is { } why)
        {
            return new PodStatus
            {
                Phase = "Pending",
                Conditions = [Condition("PodScheduled", "False", why.Reason, why.Message, now)],
            };
        }
        var phase = Phase(slots);
        var allRunning = slots.All(s => s.State.Running is not null);
        var readyReason = phase is "Succeeded" or "Failed" ? "PodCompleted" : allRunning ? null : "ContainersNotReady";
        var notReady = readyReason is null ? null
            : $"containers with unready status: [{string.Join(' ', slots.Where(s => s.State.Running is null).Select(s => s.Container.Name))}]";
        return new PodStatus
        {
            Phase = phase,
            HostIP = "127.0.0.1",
            PodIP = podIP,
            StartTime = startTime,
            Conditions =
            [
                Condition("PodScheduled", "True", null, null, now),
                Condition("Initialized", "True", null, null, now),
                Condition("ContainersReady", allRunning ? "True" : "False", readyReason, notReady, now),
                Condition("Ready", allRunning ? "True" : "False", readyReason, notReady, now),
            ],
            ContainerStatuses = [.. slots.Select(s => s.ToStatus())],
        };
    }

    private static string Phase(IReadOnlyList<ContainerSlot> slots)
    {
        if (slots.Count > 0 && slots.All(s => s.Final))
            return slots.All(s => s.State.Terminated?.ExitCode == 0) ? "Succeeded" : "Failed";
        return slots.Any(s => s.EverStarted) ? "Running" : "Pending";
    }

    private PodCondition Condition(string type, string status, string? reason, string? message, DateTimeOffset now)
    {
        var since = _conditions.TryGetValue(type, out var old) && old.Status == status ? old.LastTransitionTime : now;
        var condition = new PodCondition { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = since };
        _conditions[type] = condition;
        return condition;
    }
}
