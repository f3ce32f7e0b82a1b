using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>Registers the local cluster's single node and marks it Ready, as a kubelet does at start.</summary>
internal static class LocalNode
{
    public static async Task RegisterAsync(KubeClient client, string nodeName, CancellationToken cancellationToken)
    {
        var node = await client.TryGetAsync(KubeResources.Nodes, nodeName, null, cancellationToken).ConfigureAwait(false);
        if (node is null)
        {
            try
            {
                node = await client.CreateAsync(KubeResources.Nodes, new Node
                {
                    Metadata = new ObjectMeta
                    {
                        Name = nodeName,
                        Labels = new()
                        {
                            ["kubernetes.io/hostname"] = nodeName, ["kubernetes.io/os"] = "linux",
                            ["node-role.kubernetes.io/control-plane"] = "",
                        },
                    },
                    Spec = new NodeSpec(),
                }, null, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                node = await client.GetAsync(KubeResources.Nodes, nodeName, null, cancellationToken).ConfigureAwait(false);
            }
        }
        var now = client.TimeProvider.GetUtcNow();
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var capacity = new Dictionary<string, string>
        {
            ["cpu"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memory"] = $"{memory / 1024}Ki",
            ["pods"] = "110",
        };
        await client.UpdateStatusAsync(KubeResources.Nodes, node with
        {
            Status = new NodeStatus
            {
                Capacity = capacity,
                Allocatable = capacity,
                Addresses = [new NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }, new NodeAddress { Type = "Hostname", Address = nodeName }],
                Conditions =
                [
                    new NodeCondition
                    {
                        Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "cdi local pod runner is ready",
                        LastHeartbeatTime = now, LastTransitionTime = now,
                    },
                ],
            },
        }, cancellationToken).ConfigureAwait(false);
    }
}
