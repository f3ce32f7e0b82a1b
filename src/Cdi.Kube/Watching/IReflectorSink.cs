namespace Cdi.Kube.Watching;

/// <summary>Where a reflector delivers what it sees: whole lists (initial and after 410 Gone) and single events.</summary>
public interface IReflectorSink<T> where T : class
{
    /// <summary>The complete current state replaces whatever the sink held.</summary>
    void Replace(IReadOnlyList<T> items, string resourceVersion);

    /// <summary>An ADDED, MODIFIED or DELETED event (bookmarks are consumed by the reflector).</summary>
    void Apply(WatchEvent<T> watchEvent);
}
