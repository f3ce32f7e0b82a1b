using Cdi.Cluster;
using Cdi.Controller;
using Cdi.Controller.Runtime;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;

namespace Cdi.Cli.Commands;

/// <summary>
/// The cdi DataVolume controller running inside the local cluster, as a client of its API server like any other.
/// Without leader election: the cluster is one process holding its directory's lock, so no second replica can run
/// against it, and a restart of the process restarts the controller with it.
/// </summary>
internal sealed class DataVolumeControllerComponent : IClusterComponent
{
    /// <summary>The local cluster's default CDIConfig allows loopback, so local imports and demos can use a server on this machine.</summary>
    private static readonly string[] LocalImportNetworks = ["127.0.0.0/8"];

    public string Name => "datavolume-controller";

    public async Task RunAsync(ClusterContext context, CancellationToken stopping)
    {
        using var client = new KubeClient(KubeConfigLoader.FromFile(context.KubeconfigPath));
        using var logging = ConsoleLogging.Create();
        await new ControllerHost(client, new ControllerOptions(context.CdiImage)
            {
                ImporterAllowedNetworks = LocalImportNetworks,
                UploadProxyUrl = context.UploadProxyUrl?.GetLeftPart(UriPartial.Authority),
                UploadTokenPublicKey = context.UploadTokenPublicKey,
                CloneSigningKey = context.CloneSigningKey,
            },
            logging.CreateLogger("datavolume-controller")).RunAsync(stopping).ConfigureAwait(false);
    }
}
