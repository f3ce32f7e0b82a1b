namespace Cdi.Cluster.Storage;

/// <summary>A watch asked for events older than the bounded history keeps: the client must relist (HTTP 410).</summary>
internal sealed class ResourceExpiredException(long requested, long oldest)
    : Exception($"too old resource version: {requested} ({oldest})")
{
    public long Requested { get; } = requested;

    public long Oldest { get; } = oldest;
}
