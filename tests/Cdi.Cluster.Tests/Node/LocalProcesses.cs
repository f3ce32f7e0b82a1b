namespace Cdi.Cluster.Tests.Node;

/// <summary>Finds processes by working directory: the pod runner starts every container in its pod's folder.</summary>
public static class LocalProcesses
{
    public static IReadOnlyList<int> RunningIn(string directory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                if (Directory.ResolveLinkTarget(Path.Combine(entry, "cwd"), returnFinalTarget: false)?.FullName is { } cwd
                    && (cwd == directory || cwd.StartsWith(directory + "/", StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }
}
