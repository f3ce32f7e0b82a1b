using Cdi.Testing;

namespace Cdi.Cli.Tests;

/// <summary>Runs the real <c>./cdi</c> entry point, as users and scripts do.</summary>
internal static class CdiCli
{
    public static ProcessOutput Run(params string[] args) => ProcessRunner.Run(RepoPaths.CdiScript, args, timeout: TimeSpan.FromMinutes(10));

    /// <summary>The stderr lines, build chatter excluded (only the first call after a source change builds).</summary>
    public static string[] ErrorLines(ProcessOutput o) => o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
