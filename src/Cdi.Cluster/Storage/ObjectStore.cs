using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Cdi.Cluster.Storage;

/// <summary>
/// The cluster's object store: every object in memory (the local cluster is small) and written through to SQLite,
/// so a restart keeps them. One global, monotonically increasing resourceVersion orders all changes, like etcd's
/// revision. Stored objects are frozen: callers get clones and hand back new objects.
/// </summary>
internal sealed class ObjectStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _db;
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _uids = new(StringComparer.Ordinal);
    private readonly WatchHub _hub;
    private long _resourceVersion;

    private ObjectStore(SqliteConnection db, int historyCapacity)
    {
        _db = db;
        Load();
        _hub = new WatchHub(historyCapacity, subscriberCapacity: 100_000, _resourceVersion);
    }

    public static ObjectStore Open(string databasePath, int historyCapacity = 10_000)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        db.Open();
        Execute(db, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS objects (
              resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
              resource_version INTEGER NOT NULL, body TEXT NOT NULL,
              PRIMARY KEY (resource, namespace, name));
            CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        return new ObjectStore(db, historyCapacity);
    }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public JsonObject? Get(ObjectKey key)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(key.GroupResource, out var byKey) && byKey.TryGetValue(key.SortKey, out var o)
                ? (JsonObject)o.DeepClone()
                : null;
        }
    }

    /// <summary>Clones of every object of a resource (in one namespace when given), in key order, with the store's resourceVersion.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(string groupResource, string? ns, Func<JsonObject, bool>? predicate = null)
    {
        lock (_gate)
        {
            var items = new List<JsonObject>();
            if (_objects.TryGetValue(groupResource, out var byKey))
            {
                foreach (var o in byKey.Values)
                {
                    if ((ns is null || string.Equals(ObjectMeta.Namespace(o), ns, StringComparison.Ordinal)) && (predicate is null || predicate(o)))
                    {
                        items.Add((JsonObject)o.DeepClone());
                    }
                }
            }
            return (items, _resourceVersion);
        }
    }

    /// <summary>Whether an object with this uid exists (the garbage collector's question about owners).</summary>
    public bool ExistsUid(string uid)
    {
        lock (_gate)
        {
            return _uids.Contains(uid);
        }
    }

    /// <summary>Clones of the objects of every resource that match <paramref name="predicate"/>, which sees frozen objects and must not change them.</summary>
    public List<(string GroupResource, JsonObject Object)> Select(Func<JsonObject, bool> predicate)
    {
        lock (_gate)
        {
            var found = new List<(string, JsonObject)>();
            foreach (var (resource, byKey) in _objects)
            {
                foreach (var o in byKey.Values)
                {
                    if (predicate(o))
                    {
                        found.Add((resource, (JsonObject)o.DeepClone()));
                    }
                }
            }
            return found;
        }
    }

    public IReadOnlyList<string> GroupResources()
    {
        lock (_gate)
        {
            return [.. _objects.Where(p => p.Value.Count > 0).Select(p => p.Key)];
        }
    }

    /// <summary>
    /// Atomic read-modify-write: <paramref name="decide"/> sees a clone of the current object (or null) and says what to
    /// store. It may throw to refuse. Returns the committed change, or null when nothing changed.
    /// </summary>
    public WatchEvent? Write(ObjectKey key, Func<JsonObject?, StoreWrite> decide)
    {
        lock (_gate)
        {
            _objects.TryGetValue(key.GroupResource, out var byKey);
            JsonObject? current = null;
            byKey?.TryGetValue(key.SortKey, out current);
            var write = decide(current is null ? null : (JsonObject)current.DeepClone());
            if (write.Delete)
            {
                if (current is null)
                {
                    return null;
                }
                var rv = ++_resourceVersion;
                var gone = (JsonObject)current.DeepClone();
                ObjectMeta.SetResourceVersion(gone, rv);
                byKey!.Remove(key.SortKey);
                _uids.Remove(ObjectMeta.Uid(current));
                Persist(key, null, rv);
                return Publish(new WatchEvent(WatchEventType.Deleted, key.GroupResource, rv, gone, current));
            }
            if (write.Object is not { } next)
            {
                return null;
            }
            var version = ++_resourceVersion;
            var stored = (JsonObject)next.DeepClone();
            ObjectMeta.SetResourceVersion(stored, version);
            if (byKey is null)
            {
                byKey = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                _objects[key.GroupResource] = byKey;
            }
            byKey[key.SortKey] = stored;
            _uids.Add(ObjectMeta.Uid(stored));
            Persist(key, stored, version);
            return Publish(new WatchEvent(current is null ? WatchEventType.Added : WatchEventType.Modified, key.GroupResource, version, stored, current));
        }
    }

    /// <summary>
    /// Starts a watch. Without <paramref name="sinceResourceVersion"/> the watcher first gets every current object as
    /// ADDED (what Kubernetes does for a watch without a resourceVersion), then live events.
    /// </summary>
    public WatchSubscription Watch(string? groupResource, long? sinceResourceVersion)
    {
        lock (_gate)
        {
            var initial = new List<WatchEvent>();
            if (sinceResourceVersion is null)
            {
                foreach (var (resource, byKey) in _objects)
                {
                    if (groupResource is not null && !string.Equals(resource, groupResource, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    foreach (var o in byKey.Values)
                    {
                        initial.Add(new WatchEvent(WatchEventType.Added, resource, ObjectMeta.ResourceVersion(o), o, null));
                    }
                }
            }
            return _hub.Subscribe(groupResource, sinceResourceVersion, initial);
        }
    }

    public void Dispose() => _db.Dispose();

    private WatchEvent Publish(WatchEvent e)
    {
        _hub.Publish(e);
        return e;
    }

    private void Load()
    {
        using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = "SELECT resource, namespace, name, body FROM objects";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var key = new ObjectKey(reader.GetString(0), reader.GetString(1), reader.GetString(2));
                if (JsonNode.Parse(reader.GetString(3)) is not JsonObject o)
                {
                    continue;
                }
                if (!_objects.TryGetValue(key.GroupResource, out var byKey))
                {
                    byKey = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                    _objects[key.GroupResource] = byKey;
                }
                byKey[key.SortKey] = o;
                _uids.Add(ObjectMeta.Uid(o));
            }
        }
        using var rvCmd = _db.CreateCommand();
        rvCmd.CommandText = "SELECT value FROM counters WHERE name = 'resourceVersion'";
        _resourceVersion = rvCmd.ExecuteScalar() is long v ? v : 0;
    }

    private void Persist(ObjectKey key, JsonObject? stored, long resourceVersion)
    {
        using var tx = _db.BeginTransaction();
        using (var cmd = _db.CreateCommand())
        {
            cmd.Transaction = tx;
            if (stored is null)
            {
                cmd.CommandText = "DELETE FROM objects WHERE resource = $r AND namespace = $ns AND name = $n";
            }
            else
            {
                cmd.CommandText = "INSERT OR REPLACE INTO objects (resource, namespace, name, resource_version, body) VALUES ($r, $ns, $n, $rv, $b)";
                cmd.Parameters.AddWithValue("$rv", resourceVersion);
                cmd.Parameters.AddWithValue("$b", stored.ToJsonString());
            }
            cmd.Parameters.AddWithValue("$r", key.GroupResource);
            cmd.Parameters.AddWithValue("$ns", key.Namespace);
            cmd.Parameters.AddWithValue("$n", key.Name);
            cmd.ExecuteNonQuery();
        }
        using (var counter = _db.CreateCommand())
        {
            counter.Transaction = tx;
            counter.CommandText = "INSERT OR REPLACE INTO counters (name, value) VALUES ('resourceVersion', $v)";
            counter.Parameters.AddWithValue("$v", resourceVersion);
            counter.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
