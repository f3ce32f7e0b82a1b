using System.Globalization;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The local cluster runs a pod's container as a process of the cdi binary working in DIR/pods/NAMESPACE/POD. This
/// finds those processes through /proc by their working directory, to kill them or count them; whoever their parent
/// is, so a process orphaned by a crashed cluster process still counts.
/// </summary>
internal static class ImporterProcesses
{
    public sealed record Container(int Pid, string Namespace, string Pod);

    /// <summary>The container processes of pods in <paramref name="ns"/> running now.</summary>
    public static IReadOnlyList<Container> Scan(string clusterDir, string ns)
    {
        var podsDir = Path.Combine(clusterDir, "pods", ns) + Path.DirectorySeparatorChar;
        var found = new List<Container>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            string? cwd;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }
            // A process the cluster forked but has not yet turned into the container still runs the cluster's binary
            // with its command line: only the container's own process (cdi importer ...) counts.
            if (cwd is not null && cwd.StartsWith(podsDir, StringComparison.Ordinal) && IsContainer(pid))
            {
                found.Add(new Container(pid, ns, cwd[podsDir.Length..].TrimEnd('/')));
            }
        }
        return found;
    }

    private static bool IsContainer(int pid) =>
        Read($"/proc/{pid}/cmdline") is { } cmdline && !cmdline.Split('\0').Contains("cluster", StringComparer.Ordinal);

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
