using System.Runtime.InteropServices;

namespace Cdi.Cluster.Hosting;

/// <summary>kill(2): .NET's Process.Kill only sends SIGKILL, and `cluster down` wants a graceful SIGTERM first.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
