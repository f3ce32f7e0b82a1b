namespace Cdi.Cli.Tests.Crash;

/// <summary>
/// Looks at the importer processes every few milliseconds while a crash test runs and records any moment at which
/// two processes import for the same DataVolume (two writers of one volume), which the API view alone cannot show.
/// </summary>
internal sealed class ProcessCountMonitor : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);
    private readonly HashSet<string> _violations = new(StringComparer.Ordinal); // one entry per distinct overlap
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ProcessCountMonitor(string clusterDir, string ns, ImporterPodLedger pods) =>
        _run = Task.Run(async () =>
        {
            using var ticks = new PeriodicTimer(Every);
            while (!_stop.IsCancellationRequested)
            {
                foreach (var group in ImporterProcesses.Scan(clusterDir, ns).GroupBy(c => pods.DataVolumeOf(c.Pod) ?? DataVolumeFromPodName(c.Pod)))
                {
                    if (group.Count() > 1)
                    {
                        lock (_gate)
                        {
                            _violations.Add($"{group.Count()} importer processes at once for DataVolume {group.Key}: " +
                                string.Join(", ", group.Select(c => $"pid {c.Pid} in pod {c.Pod}")));
                        }
                    }
                }
                Scans++;
                try
                {
                    await ticks.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

    public int Scans { get; private set; }

    // A process can outlive its pod object by a moment; today's importer pods are named importer-<DataVolume>.
    private static string DataVolumeFromPodName(string pod) => pod.StartsWith("importer-", StringComparison.Ordinal) ? pod["importer-".Length..] : pod;

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations.Order(StringComparer.Ordinal)];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
