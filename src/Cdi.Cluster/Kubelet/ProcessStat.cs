using System.Globalization;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// The fields of /proc/PID/stat the pod runner needs: the start time (clock ticks since boot) tells a process from a
/// later one that reused its pid; a zombie counts as ended.
/// </summary>
internal sealed record ProcessStat(ulong StartTime, int ProcessGroup, bool Zombie)
{
    /// <summary>Null when no such process exists (or /proc cannot be read).</summary>
    public static ProcessStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields are counted after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state); field 5 is the process group, field 22 the start time.
        if (fields.Length < 20
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var group)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new ProcessStat(start, group, fields[0] is "Z" or "X");
    }

    /// <summary>Whether the process <paramref name="pid"/> that started at <paramref name="startTime"/> still runs.</summary>
    public static bool IsRunning(int pid, ulong startTime) => Read(pid) is { Zombie: false } stat && stat.StartTime == startTime;
}
