using System.Runtime.InteropServices;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// Signals for a container's process group. Each container runs as the leader of its own session (started through
/// setsid), so signalling the group reaches every process it started, qemu-img children included, even once the
/// cluster that started it is gone.
/// </summary>
internal static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Signals the group led by <paramref name="leader"/>, or only that process when it leads no group.</summary>
    public static void Signal(int leader, int signal)
    {
        // kill(-pgid) reaches the whole group; a process that is not its group's leader (no setsid) is signalled alone.
        var target = ProcessStat.Read(leader) is { } stat && stat.ProcessGroup == leader ? -leader : leader;
        _ = Kill(target, signal); // ESRCH: already gone
    }

    /// <summary>Signals the group whose leader has already exited and been reaped by us (its members may remain).</summary>
    public static void SignalOrphanedGroup(int leader, int signal) => _ = Kill(-leader, signal);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
