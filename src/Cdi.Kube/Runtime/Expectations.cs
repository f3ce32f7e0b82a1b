namespace Cdi.Kube.Runtime;

/// <summary>
/// Guards a controller against its own caches lagging its writes, as the ReplicaSet controller's expectations do:
/// after creating an object, expect to see it (that UID under that key); after deleting one, expect it gone. Until the
/// cache shows it or <see cref="Timeout"/> passes, the absence (or presence) the cache still reports is not acted on.
/// Losing these on restart is safe: a fresh controller's caches start from a consistent list.
/// </summary>
public sealed class Expectations(TimeProvider time, TimeSpan? timeout = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Uid, bool Present, DateTimeOffset Deadline)> _pending = new(StringComparer.Ordinal);

    /// <summary>Five minutes, as client-go's expectations.</summary>
    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromMinutes(5);

    public int Count { get { lock (_gate) return _pending.Count; } }

    public void ExpectCreated(string key, string uid) => Set(key, uid, present: true);

    public void ExpectDeleted(string key, string uid) => Set(key, uid, present: false);

    /// <summary>
    /// After writing an object (its status, say): until the cache holds a version other than
    /// <paramref name="writtenOver"/> (the resourceVersion the write replaced), the cached object is older than our own
    /// write and is not acted on. Pass the cached resourceVersion to <see cref="Satisfied"/>.
    /// </summary>
    public void ExpectNewerThan(string key, string writtenOver) => Set(key, writtenOver, present: false);

    /// <summary>
    /// True when nothing is pending for <paramref name="key"/> given the UID the cache holds there now (null: nothing).
    /// A met or expired expectation is dropped.
    /// </summary>
    public bool Satisfied(string key, string? cachedUid)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var e)) return true;
            var met = e.Present ? cachedUid == e.Uid : cachedUid != e.Uid;
            if (met || time.GetUtcNow() >= e.Deadline)
            {
                _pending.Remove(key);
                return true;
            }
            return false;
        }
    }

    /// <summary>Forgets <paramref name="key"/>'s expectation (the owner is gone, say).</summary>
    public void Forget(string key)
    {
        lock (_gate) _pending.Remove(key);
    }

    private void Set(string key, string uid, bool present)
    {
        lock (_gate) _pending[key] = (uid, present, time.GetUtcNow() + Timeout);
    }
}
