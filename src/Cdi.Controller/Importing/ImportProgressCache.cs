using System.Collections.Concurrent;
using Cdi.Api.Contracts;
using Cdi.Kube.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdi.Controller.Importing;

/// <summary>
/// The importers' latest progress reports, read off the reconcile path: a poller asks every running importer pod
/// (a few at a time) each interval and keeps the last answer per pod UID, and a changed answer enqueues its
/// DataVolume. A reconcile then reads progress from here like any other cache, so a pod that does not answer holds no
/// worker. Observed state only (what a pod said), never a decision; a restart loses nothing the next poll does not bring.
/// </summary>
public sealed class ImportProgressCache(IImportProgressReader reader, TimeProvider time, TimeSpan? interval = null, int concurrency = 8, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, ImportProgress> _latest = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromSeconds(2);

    /// <summary>The last report of this pod (by UID), or null before its first answer.</summary>
    public ImportProgress? Get(Pod pod) => pod.Metadata.Uid is { } uid && _latest.TryGetValue(uid, out var p) ? p : null;

    /// <param name="runningPods">The importer pods that run now, from the informer cache.</param>
    /// <param name="changed">Called with a pod whose report changed.</param>
    public async Task RunAsync(Func<IReadOnlyList<Pod>> runningPods, Action<Pod> changed, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await PollOnceAsync(runningPods(), changed, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bad round must not end progress for good: said, and the next tick tries again.
                    _logger.LogError(e, "reading importer progress failed");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: forget pods that stopped running, ask the rest.</summary>
    public async Task PollOnceAsync(IReadOnlyList<Pod> running, Action<Pod> changed, CancellationToken cancellationToken)
    {
        var live = running.Select(p => p.Metadata.Uid).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _latest.Keys.Where(uid => !live.Contains(uid)))
        {
            _latest.TryRemove(gone, out _);
        }
        await Parallel.ForEachAsync(running, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (pod, ct) =>
            {
                // The reader answers null for anything but a current-version report (and never throws for a pod's fault).
                if (await reader.ReadAsync(pod, ct).ConfigureAwait(false) is not { } report || pod.Metadata.Uid is not { } uid)
                {
                    return;
                }
                if (!_latest.TryGetValue(uid, out var before) || before != report)
                {
                    _latest[uid] = report;
                    changed(pod);
                }
            }).ConfigureAwait(false);
    }
}
