namespace Cdi.Kube.Tests.Support;

/// <summary>Finds the repository (the folder holding Cdi.slnx) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cdi.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cdi.slnx not found above " + AppContext.BaseDirectory);
    }
}
