using System.CommandLine;

namespace Cdi.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create()
    {
        var import = new Command("import", "Import a disk image into a volume directory or block device");
        return import;
    }
}
