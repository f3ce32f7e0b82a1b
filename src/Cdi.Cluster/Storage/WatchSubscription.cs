using System.Threading.Channels;

namespace Cdi.Cluster.Storage;

/// <summary>
/// One watcher's queue. Bounded: a watcher that falls this far behind is cut off (its channel completes) and
/// must re-watch from its last resourceVersion, as the real API server does with slow watchers.
/// </summary>
internal sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly Action<WatchSubscription> _unregister;

    public WatchSubscription(string? groupResource, int capacity, Action<WatchSubscription> unregister)
    {
        GroupResource = groupResource;
        _unregister = unregister;
        _channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    /// <summary>Null means every resource (used by the in-process controllers).</summary>
    public string? GroupResource { get; }

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    /// <summary>How many of the first events are the synthetic ADDED of a watch without resourceVersion.</summary>
    public int InitialEvents { get; set; }

    public void Offer(WatchEvent e)
    {
        if (GroupResource is not null && !string.Equals(GroupResource, e.GroupResource, StringComparison.Ordinal))
        {
            return;
        }
        if (!_channel.Writer.TryWrite(e))
        {
            _channel.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _unregister(this);
    }
}
