namespace Cdi.Kube.Runtime;

/// <summary>
/// Counts a controller's reconciles by outcome and their durations in a fixed-bucket histogram — what
/// controller-runtime exposes as <c>controller_runtime_reconcile_total</c> and <c>…_reconcile_time_seconds</c>.
/// Lock-free; a reader sees each counter consistent on its own.
/// </summary>
public sealed class ReconcileMetrics
{
    /// <summary>Upper bounds in seconds (Prometheus <c>le</c>), fine around the 20 ms a reconcile should stay under.</summary>
    public static IReadOnlyList<double> Buckets { get; } = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly long[] _outcomes = new long[Enum.GetValues<ReconcileOutcome>().Length];
    private readonly long[] _buckets = new long[Buckets.Count];
    private long _count;
    private long _sumTicks;

    public void Observe(ReconcileOutcome outcome, TimeSpan duration)
    {
        Interlocked.Increment(ref _outcomes[(int)outcome]);
        var seconds = duration.TotalSeconds;
        for (var i = 0; i < _buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                Interlocked.Increment(ref _buckets[i]);
                break;
            }
        }
        Interlocked.Add(ref _sumTicks, duration.Ticks);
        Interlocked.Increment(ref _count);
    }

    public long Count(ReconcileOutcome outcome) => Interlocked.Read(ref _outcomes[(int)outcome]);

    public long Total => Interlocked.Read(ref _count);

    public TimeSpan Sum => TimeSpan.FromTicks(Interlocked.Read(ref _sumTicks));

    /// <summary>Reconciles that took at most <see cref="Buckets"/>[<paramref name="bucket"/>] (cumulative, as Prometheus has it).</summary>
    public long AtMost(int bucket)
    {
        long total = 0;
        for (var i = 0; i <= bucket; i++)
        {
            total += Interlocked.Read(ref _buckets[i]);
        }
        return total;
    }
}
