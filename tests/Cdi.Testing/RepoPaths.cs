namespace Cdi.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding Cdi.slnx above the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string CdiScript => Path.Combine(Root, "cdi");

    /// <summary>The binary ./cdi runs, built (if stale) by running the script once: for measuring cdi alone, not a build.</summary>
    public static string CdiBinary()
    {
        var built = ProcessRunner.Run(CdiScript, ["--help"], timeout: TimeSpan.FromMinutes(5));
        if (built.ExitCode != 0)
        {
            throw new InvalidOperationException($"./cdi --help failed: {built.Stderr}");
        }
        return Path.Combine(Root, ".build", "cli", "cdi");
    }

    /// <summary>The native cdi-worker ./cdi builds beside the CLI (if stale, by running the script once): what worker pods run.</summary>
    public static string WorkerBinary()
    {
        CdiBinary();
        return Path.Combine(Root, ".build", "worker", "cdi-worker");
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cdi.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Cdi.slnx)");
    }
}
