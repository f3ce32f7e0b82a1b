namespace Cdi.Cluster.ApiServer;

/// <summary>
/// Bounds the watches one client holds open at once (each holds a subscription and its event buffer). A client is its
/// remote address: every local client shares 127.0.0.1 and the one token, so on the local cluster this bounds the
/// server's watches overall. Beyond the limit a watch is refused with 429 and the client retries later.
/// </summary>
internal sealed class WatchLimiter(int maxPerClient)
{
    public const int DefaultMaxPerClient = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int MaxPerClient => maxPerClient;

    /// <summary>A lease to dispose when the watch ends, or null when <paramref name="client"/> holds the maximum already.</summary>
    public IDisposable? TryAcquire(string client)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(client);
            if (open >= maxPerClient)
            {
                return null;
            }
            _open[client] = open + 1;
        }
        return new Lease(this, client);
    }

    public int OpenFor(string client)
    {
        lock (_gate)
        {
            return _open.GetValueOrDefault(client);
        }
    }

    private void Release(string client)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(client, out var open) && open > 1)
            {
                _open[client] = open - 1;
            }
            else
            {
                _open.Remove(client);
            }
        }
    }

    private sealed class Lease(WatchLimiter limiter, string client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(client);
            }
        }
    }
}
