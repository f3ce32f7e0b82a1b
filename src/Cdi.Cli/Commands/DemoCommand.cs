using System.CommandLine;

namespace Cdi.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var demo = new Command("demo", "Import a generated disk image over a local HTTP server and verify it");
        return demo;
    }
}
