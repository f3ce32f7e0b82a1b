using Cdi.Kube.Config;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Kubelet;

/// <summary>The node components reach the API server exactly as any client would: through the cluster's kubeconfig.</summary>
internal static class NodeClientFactory
{
    public static KubeClient Create(ClusterContext context, TimeProvider timeProvider) =>
        new(KubeConfigLoader.FromFile(context.KubeconfigPath), timeProvider);
}
