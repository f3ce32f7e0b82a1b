using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 003: a node under disk pressure evicts pods and garbage-collects images (often grown container logs).</summary>
public sealed class NodeDiskPressureRule : IDoctorRule
{
    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var node in index.Snapshot.Nodes)
        {
            if (node.Status?.Conditions?.FirstOrDefault(c => c.Type == "DiskPressure" && c.Status == "True") is not { } pressure)
            {
                continue;
            }
            yield return new Finding
            {
                Id = FindingIds.NodeDiskPressure,
                Severity = Severity.Error,
                Object = new ObjectRef("Node", null, node.Metadata.Name!),
                Summary = $"node {node.Metadata.Name} is under disk pressure: it evicts pods and removes images",
                Evidence = [$"condition DiskPressure=True reason={pressure.Reason}: {Evidence.OneLine(pressure.Message)}"],
                Remedy = $"free disk on {node.Metadata.Name}: rotate container logs (/etc/logrotate.d/docker with maxsize 100M), "
                    + "remove unused images (crictl rmi --prune), or grow the disk",
            };
        }
    }
}
