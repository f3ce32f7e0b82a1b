using System.CommandLine;
using Cdi.Cli.Manifests;

namespace Cdi.Cli.Commands;

/// <summary><c>cdi manifests</c>: prints deploy/ (namespace, CRDs, RBAC, Deployments, Services, CDI, CDIConfig) for kubectl apply -f -.</summary>
internal static class ManifestsCommand
{
    public static Command Create()
    {
        var image = new Option<string>("--image") { Description = "The cdi image the components and worker pods run", DefaultValueFactory = _ => DeployManifests.DefaultImage };
        var ns = new Option<string>("--namespace", "-n") { Description = "The namespace cdi's components run in", DefaultValueFactory = _ => DeployManifests.DefaultNamespace };
        var command = new Command("manifests", "Print the install manifests (deploy/) for kubectl apply -f -") { image, ns };
        command.SetAction(parse =>
        {
            try
            {
                Console.Out.Write(DeployManifests.Render(parse.GetValue(image)!, parse.GetValue(ns)!));
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
