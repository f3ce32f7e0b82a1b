namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// Bytes of memory shared by parallel decoders: each takes what its next unit of work needs and waits while others hold
/// the rest, so the decoders together stay within one limit whatever the input asks for.
/// </summary>
internal sealed class MemoryBudget : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _released = new(0);
    private long _available;
    private int _waiting;

    public MemoryBudget(long total)
    {
        Total = total;
        _available = total;
    }

    public long Total { get; }

    public void Dispose() => _released.Dispose();

    /// <summary>A lease of <paramref name="bytes"/> (at most <see cref="Total"/>), given back on dispose.</summary>
    public async ValueTask<Lease> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Total);
        while (true)
        {
            lock (_lock)
            {
                if (_available >= bytes)
                {
                    _available -= bytes;
                    return new Lease(this, bytes);
                }
                _waiting++;
            }
            await _released.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Release(long bytes)
    {
        int wake;
        lock (_lock)
        {
            _available += bytes;
            wake = _waiting;
            _waiting = 0;
        }
        if (wake > 0)
        {
            _released.Release(wake);
        }
    }

    public sealed class Lease(MemoryBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public long Bytes => bytes;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
