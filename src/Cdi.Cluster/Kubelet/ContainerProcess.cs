using System.Diagnostics;
using Cdi.Cluster.FileSafety;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// One run of a container as a local process: stdout and stderr appended to one log file as they come. The process
/// leads its own session (started through setsid), its pid is recorded in the pod's folder while it runs (see
/// <see cref="ContainerPidRecord"/>), and when the token fires (pod deleted or cluster stopping) its whole process group
/// gets SIGTERM, then SIGKILL after the grace period, and is gone before this returns.
/// </summary>
internal static class ContainerProcess
{
    /// <summary>The exit code; 137 (128 + SIGKILL) when it was killed.</summary>
    public static async Task<int> RunAsync(ProcessStartInfo startInfo, ContainedPath logFile, ContainedPath pidFile, string podUid,
        TimeSpan killGrace, TimeProvider time, CancellationToken cancellationToken)
    {
        var grouped = InNewSession(startInfo);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true; // a container has no terminal: stdin is closed at once
        using var process = new Process { StartInfo = startInfo };
        // Output may carry secrets: private from its creation, and never appended through a link planted in its place.
        var log = logFile.OpenAppend(OwnerOnly.File);
        await using (log.ConfigureAwait(false))
        {
            // A node that is stopping starts nothing: a process started now could outlive this node unrecorded.
            cancellationToken.ThrowIfCancellationRequested();
            process.Start();
            try
            {
                if (ProcessStat.Read(process.Id) is { } stat) new ContainerPidRecord(process.Id, stat.StartTime, podUid).Write(pidFile);
                process.StandardInput.Close();
                using var gate = new SemaphoreSlim(1, 1);
                var pumps = new[]
                {
                    PumpAsync(process.StandardOutput.BaseStream, log, gate),
                    PumpAsync(process.StandardError.BaseStream, log, gate),
                };
                try
                {
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await StopAsync(process, grouped, killGrace, time).ConfigureAwait(false);
                    await Task.WhenAll(pumps).ConfigureAwait(false);
                    throw;
                }
                // What the container's main process left behind ends with it, as a container's cgroup does.
                if (grouped) ProcessGroup.SignalOrphanedGroup(process.Id, ProcessGroup.SigKill);
                await Task.WhenAll(pumps).ConfigureAwait(false);
                return process.ExitCode;
            }
            catch
            {
                if (!process.HasExited) await StopAsync(process, grouped, TimeSpan.Zero, time).ConfigureAwait(false);
                throw;
            }
            finally
            {
                DeleteRecord(pidFile);
            }
        }
    }

    /// <summary>SIGTERM to the group, SIGKILL after <paramref name="grace"/>; returns once the leader has exited.</summary>
    private static async Task StopAsync(Process process, bool grouped, TimeSpan grace, TimeProvider time)
    {
        if (grace > TimeSpan.Zero)
        {
            ProcessGroup.Signal(process.Id, ProcessGroup.SigTerm);
            using var timeout = new CancellationTokenSource(grace, time);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: killed below.
            }
        }
        if (!process.HasExited)
        {
            if (grouped) ProcessGroup.Signal(process.Id, ProcessGroup.SigKill);
            else process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (grouped) ProcessGroup.SignalOrphanedGroup(process.Id, ProcessGroup.SigKill); // children that ignored SIGTERM
    }

    // setsid(1) makes the program the leader of a new session and process group and then execs it (same pid), so the
    // group can be signalled as a whole and outlives nothing of ours by accident.
    // A program that cannot run is started directly, so that it fails to start (StartError) rather than exit non-zero.
    private static bool InNewSession(ProcessStartInfo startInfo)
    {
        if (!File.Exists(SetsidPath)) return false;
        if (Path.IsPathRooted(startInfo.FileName)
            && (!File.Exists(startInfo.FileName) || (File.GetUnixFileMode(startInfo.FileName) & UnixFileMode.UserExecute) == 0))
            return false;
        var arguments = startInfo.ArgumentList.ToList();
        startInfo.ArgumentList.Clear();
        startInfo.ArgumentList.Add(startInfo.FileName);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        startInfo.FileName = SetsidPath;
        return true;
    }

    private static string SetsidPath => File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/setsid";

    private static void DeleteRecord(ContainedPath pidFile)
    {
        try
        {
            pidFile.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafePathException)
        {
            // A stale record is checked against the process start time before anything is killed.
        }
    }

    // Whole chunks go to the log under one lock, so stdout and stderr interleave but never tear each other's writes;
    // a flush per chunk makes `kubectl logs` see output while the container runs.
    private static async Task PumpAsync(Stream source, FileStream log, SemaphoreSlim gate)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await log.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                await log.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
