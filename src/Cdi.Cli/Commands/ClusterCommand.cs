using System.CommandLine;

namespace Cdi.Cli.Commands;

internal static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Run the embedded single-node Kubernetes control plane (local cluster)");
        return cluster;
    }
}
