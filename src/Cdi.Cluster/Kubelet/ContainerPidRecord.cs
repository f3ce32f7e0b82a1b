using System.Globalization;
using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// DIR/pods/&lt;ns&gt;/&lt;pod&gt;/&lt;container&gt;.pid: which process runs a container, so that a node restarted after a crash
/// finds the processes its predecessor left and stops them before running the pod again. One line:
/// "PID STARTTIME PODUID"; the start time (from /proc/PID/stat) keeps a reused pid from being killed.
/// </summary>
internal sealed record ContainerPidRecord(int Pid, ulong StartTime, string PodUid)
{
    public const string Suffix = ".pid";
    private const int MaxBytes = 512;

    public void Write(ContainedPath file)
    {
        using var stream = file.CreateFile(OwnerOnly.File);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Pid} {StartTime} {PodUid}\n")));
    }

    /// <summary>Null when the file is missing, a link, too long or not a record.</summary>
    public static ContainerPidRecord? TryRead(ContainedPath file)
    {
        try
        {
            using var stream = file.OpenRead();
            var buffer = new byte[MaxBytes];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var parts = System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim().Split(' ');
            if (parts.Length != 3
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1
                || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
                return null;
            return new ContainerPidRecord(pid, start, parts[2]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafePathException)
        {
            return null;
        }
    }
}
