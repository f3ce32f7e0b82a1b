using System.Globalization;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The local cluster runs a pod's container as a process (cdi-worker for importers) working in DIR/pods/NAMESPACE/POD. This
/// finds those processes through /proc by their working directory, to kill them or count them; whoever their parent
/// is, so a process orphaned by a crashed cluster process still counts; a container's own children do not.
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
            // with its command line: only the container's own process (cdi-worker importer) counts.
            if (cwd is not null && cwd.StartsWith(podsDir, StringComparison.Ordinal) && IsContainer(pid))
            {
                found.Add(new Container(pid, ns, cwd[podsDir.Length..].TrimEnd('/')));
            }
        }
        // A container's own children (a tool the importer runs) share its working directory: only the top process counts.
        var pids = found.Select(c => c.Pid).ToHashSet();
        return [.. found.Where(c => !pids.Contains(ParentOf(c.Pid)))];
    }

    /// <summary>The parent PID from /proc/PID/stat (the field after the parenthesised command), or -1 if it is gone.</summary>
    private static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0)
        {
            return -1;
        }
        var fields = stat![(close + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : -1;
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
