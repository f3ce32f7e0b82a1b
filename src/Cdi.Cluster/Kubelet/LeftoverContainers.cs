using Cdi.Cluster.FileSafety;
using Cdi.Kube.Models;

namespace Cdi.Cluster.Kubelet;

/// <summary>
/// At node start, before any pod runs: the containers a previous node left running (it was killed, or its stop gave
/// up) are found through their <see cref="ContainerPidRecord"/>s, their process groups killed, and their end awaited,
/// so that a pod never runs twice. Each is reported as terminated (137) so its pod's restartPolicy applies as to any
/// container that died.
/// </summary>
internal static class LeftoverContainers
{
    public const string Reason = "NodeRestarted";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Pod key ("ns/name") → container name → how its run ended; only containers that were still running.</summary>
    public static async Task<Dictionary<string, Interrupted>> StopAsync(NodePaths paths, TimeProvider time, CancellationToken stop)
    {
        var result = new Dictionary<string, Interrupted>(StringComparer.Ordinal);
        var root = Path.Combine(paths.ClusterDirectory, "pods");
        if (!Directory.Exists(root)) return result;
        var found = new List<(string Key, string Container, ContainedPath File, ContainerPidRecord Record)>();
        foreach (var nsDir in Directory.EnumerateDirectories(root))
        {
            foreach (var podDir in Directory.EnumerateDirectories(nsDir))
            {
                foreach (var file in Directory.EnumerateFiles(podDir, "*" + ContainerPidRecord.Suffix))
                {
                    var (ns, pod, container) = (Path.GetFileName(nsDir), Path.GetFileName(podDir), Path.GetFileName(file)[..^ContainerPidRecord.Suffix.Length]);
                    ContainedPath path;
                    try
                    {
                        path = paths.PidFile(ns, pod, container);
                    }
                    catch (UnsafePathException)
                    {
                        continue; // never written by us
                    }
                    if (ContainerPidRecord.TryRead(path) is { } record) found.Add(($"{ns}/{pod}", container, path, record));
                    Delete(path);
                }
            }
        }
        var now = time.GetUtcNow();
        foreach (var (key, container, _, record) in found)
        {
            if (!ProcessStat.IsRunning(record.Pid, record.StartTime)) continue;
            ProcessGroup.Signal(record.Pid, ProcessGroup.SigKill);
            if (!result.TryGetValue(key, out var interrupted)) result[key] = interrupted = new Interrupted(record.PodUid);
            interrupted.Containers[container] = new ContainerStateTerminated
            {
                ExitCode = 137, Reason = Reason, FinishedAt = now,
                Message = "the node restarted while the container ran: its process was killed",
            };
        }
        // The records are gone already: waiting is what keeps the pod from running twice, so it is bounded only generously.
        using var deadline = new CancellationTokenSource(ExitTimeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, deadline.Token);
        foreach (var (_, _, _, record) in found)
        {
            while (ProcessStat.IsRunning(record.Pid, record.StartTime))
            {
                try
                {
                    await Task.Delay(PollInterval, time, both.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"container process {record.Pid} left by the previous node did not exit after SIGKILL");
                }
            }
        }
        return result;
    }

    private static void Delete(ContainedPath path)
    {
        try
        {
            path.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafePathException)
        {
            // Re-checked against the start time next time.
        }
    }

    /// <summary>The interrupted containers of one pod (by the uid recorded with them).</summary>
    public sealed record Interrupted(string PodUid)
    {
        public Dictionary<string, ContainerStateTerminated> Containers { get; } = new(StringComparer.Ordinal);
    }
}
