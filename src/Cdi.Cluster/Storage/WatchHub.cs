namespace Cdi.Cluster.Storage;

/// <summary>
/// In-memory fan-out of committed changes with a bounded history, so a watch can resume from a recent
/// resourceVersion. The store calls <see cref="Publish"/> and <see cref="Subscribe"/> under its own lock, which makes
/// "replay the history, then receive live events" gap-free.
/// </summary>
internal sealed class WatchHub(int historyCapacity, int subscriberCapacity, long startResourceVersion)
{
    private readonly Lock _gate = new();
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _subscribers = [];

    // Every event with a resourceVersion above this one is still in the history.
    private long _historyFloor = startResourceVersion;

    public void Publish(WatchEvent e)
    {
        lock (_gate)
        {
            _history.Enqueue(e);
            while (_history.Count > historyCapacity)
            {
                _historyFloor = _history.Dequeue().ResourceVersion;
            }
            foreach (var s in _subscribers)
            {
                s.Offer(e);
            }
        }
    }

    /// <summary>Registers a watcher that first receives <paramref name="initial"/>, then history after <paramref name="sinceResourceVersion"/> (if any), then live events.</summary>
    public WatchSubscription Subscribe(string? groupResource, long? sinceResourceVersion, IEnumerable<WatchEvent> initial)
    {
        lock (_gate)
        {
            if (sinceResourceVersion is { } since && since < _historyFloor)
            {
                throw new ResourceExpiredException(since, _historyFloor + 1);
            }
            var sub = new WatchSubscription(groupResource, subscriberCapacity, Unregister);
            foreach (var e in initial)
            {
                sub.Offer(e);
                sub.InitialEvents++;
            }
            if (sinceResourceVersion is { } from)
            {
                foreach (var e in _history)
                {
                    if (e.ResourceVersion > from)
                    {
                        sub.Offer(e);
                    }
                }
            }
            _subscribers.Add(sub);
            return sub;
        }
    }

    private void Unregister(WatchSubscription s)
    {
        lock (_gate)
        {
            _subscribers.Remove(s);
        }
    }
}
