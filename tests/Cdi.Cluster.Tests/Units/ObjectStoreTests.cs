using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Tests.Units;

public sealed class ObjectStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdi-store-").FullName;

    private static JsonObject Cm(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["uid"] = name + "-uid" } };

    private static ObjectKey Key(string name) => new("configmaps", "ns", name);

    [Fact]
    public void Versions_increase_and_survive_reopening()
    {
        var path = Path.Combine(_dir, "a.db");
        using (var store = ObjectStore.Open(path))
        {
            store.Write(Key("a"), _ => StoreWrite.Put(Cm("a")))!.ResourceVersion.Should().Be(1);
            store.Write(Key("b"), _ => StoreWrite.Put(Cm("b")))!.ResourceVersion.Should().Be(2);
            store.Write(Key("a"), _ => StoreWrite.Remove)!.Type.Should().Be(WatchEventType.Deleted);
            store.Write(Key("zzz"), _ => StoreWrite.Keep).Should().BeNull();
        }
        using var reopened = ObjectStore.Open(path);
        reopened.ResourceVersion.Should().Be(3);
        reopened.Get(Key("a")).Should().BeNull();
        ObjectMeta.ResourceVersion(reopened.Get(Key("b"))!).Should().Be(2);
        reopened.ExistsUid("b-uid").Should().BeTrue();
        reopened.ExistsUid("a-uid").Should().BeFalse();
    }

    [Fact]
    public async Task A_watch_replays_recent_history_then_live_events_and_refuses_expired_versions()
    {
        using var store = ObjectStore.Open(Path.Combine(_dir, "w.db"), historyCapacity: 3);
        for (var i = 0; i < 5; i++)
        {
            store.Write(Key("o" + i), _ => StoreWrite.Put(Cm("o" + i)));
        }
        using var sub = store.Watch("configmaps", 3);
        store.Write(Key("live"), _ => StoreWrite.Put(Cm("live")));
        var seen = new List<long>();
        while (seen.Count < 3)
        {
            var e = await sub.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            seen.Add(e.ResourceVersion);
        }
        seen.Should().Equal(4, 5, 6);
        var expired = () => store.Watch("configmaps", 1);
        expired.Should().Throw<ResourceExpiredException>().WithMessage("too old resource version: 1 (4)");
    }

    [Fact]
    public async Task A_watch_without_a_version_starts_with_the_current_objects()
    {
        using var store = ObjectStore.Open(Path.Combine(_dir, "i.db"));
        store.Write(Key("x"), _ => StoreWrite.Put(Cm("x")));
        using var sub = store.Watch("configmaps", null);
        sub.InitialEvents.Should().Be(1);
        var first = await sub.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        first.Type.Should().Be(WatchEventType.Added);
        ObjectMeta.Name(first.Object).Should().Be("x");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
