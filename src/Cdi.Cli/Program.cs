using System.CommandLine;
using Cdi.Cli.Commands;

var root = new RootCommand("cdi: the Containerized Data Importer — get VM disk images into Kubernetes volumes");
root.Subcommands.Add(ImportCommand.Create());
root.Subcommands.Add(Cdi.Cli.UploadClient.UploadCommand.Create());
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ControllerCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(ManifestsCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line, as every other failure: scripts read stderr's first line.
    Console.Error.WriteLine($"error: {string.Join(' ', parsed.Errors[0].Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}");
    return 2;
}
return await parsed.InvokeAsync().ConfigureAwait(false);
