using System.Globalization;

namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// The local cluster runs a pod's container as a child process of the cluster process, working in
/// DIR/pods/NAMESPACE/POD. This finds those processes through /proc, to kill them or count them.
/// </summary>
internal static class ImporterProcesses
{
    public sealed record Container(int Pid, string Namespace, string Pod);

    /// <summary>The container processes of pods in <paramref name="ns"/> running now (none while the cluster is down).</summary>
    public static IReadOnlyList<Container> Scan(string clusterDir, string ns)
    {
        var pidFile = Path.Combine(clusterDir, "cluster.pid");
        if (!int.TryParse(Read(pidFile)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var cluster))
        {
            return [];
        }
        var podsDir = Path.Combine(clusterDir, "pods", ns) + Path.DirectorySeparatorChar;
        var found = new List<Container>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ParentOf(pid) != cluster)
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
            if (cwd is not null && cwd.StartsWith(podsDir, StringComparison.Ordinal))
            {
                found.Add(new Container(pid, ns, cwd[podsDir.Length..].TrimEnd('/')));
            }
        }
        return found;
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
