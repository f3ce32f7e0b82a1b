using Cdi.Api.DataVolumes;

namespace Cdi.Controller.DataVolumes;

/// <summary>Builds the Ready/Bound/Running conditions, keeping a condition's transition time while its status holds.</summary>
internal sealed class ConditionSet(IReadOnlyList<DataVolumeCondition>? previous, DateTimeOffset now)
{
    private readonly List<DataVolumeCondition> _conditions = [];

    public ConditionSet Set(string type, bool? status, string reason, string message)
    {
        var text = status switch { true => "True", false => "False", null => "Unknown" };
        var old = previous?.FirstOrDefault(c => c.Type == type);
        _conditions.Add(new DataVolumeCondition
        {
            Type = type,
            Status = text,
            Reason = reason,
            Message = message,
            LastTransitionTime = old is not null && old.Status == text ? old.LastTransitionTime ?? now : now,
            LastHeartbeatTime = now,
        });
        return this;
    }

    public List<DataVolumeCondition> Build()
    {
        // Keep the order upstream shows: Ready, Bound, Running.
        string[] order = ["Ready", "Bound", "Running"];
        return [.. _conditions.OrderBy(c => Array.IndexOf(order, c.Type))];
    }
}
