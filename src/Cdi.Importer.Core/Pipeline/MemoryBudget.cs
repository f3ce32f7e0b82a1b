namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// Bytes of memory shared by parallel decoders: each takes what its next unit of work needs and waits while others hold
/// the rest, so the decoders together stay within one limit whatever the input asks for. Together they may hold
/// <see cref="Shared"/>; one alone may hold up to <see cref="Total"/> (a block that big then decodes by itself).
/// </summary>
internal sealed class MemoryBudget : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _released = new(0);
    private long _held;
    private int _waiting;

    public MemoryBudget(long total, long shared)
    {
        Total = total;
        Shared = Math.Min(shared, total);
    }

    public long Total { get; }

    public long Shared { get; }

    public void Dispose() => _released.Dispose();

    /// <summary>A lease of <paramref name="bytes"/> (at most <see cref="Total"/>), given back on dispose.</summary>
    public async ValueTask<Lease> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Total);
        while (true)
        {
            lock (_lock)
            {
                if (_held == 0 || _held + bytes <= Shared)
                {
                    _held += bytes;
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
            _held -= bytes;
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
