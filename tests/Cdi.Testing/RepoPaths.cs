namespace Cdi.Testing;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding Cdi.slnx above the test binaries.</summary>
    public static string Root { get; } = Find();

    public static string CdiScript => Path.Combine(Root, "cdi");

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
