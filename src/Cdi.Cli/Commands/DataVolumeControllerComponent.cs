using Cdi.Cluster;
using Cdi.Controller;
using Cdi.Controller.Runtime;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;

namespace Cdi.Cli.Commands;

/// <summary>The cdi DataVolume controller running inside the local cluster, as a client of its API server like any other.</summary>
internal sealed class DataVolumeControllerComponent : IClusterComponent
{
    public string Name => "datavolume-controller";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = new KubeClient(KubeConfigLoader.FromFile(context.KubeconfigPath));
        await new ControllerHost(client, new ControllerOptions(context.CdiImage)).RunAsync(stopping).ConfigureAwait(false);
    }
}
