using System.Text.Json.Nodes;

namespace Cdi.Cluster.Storage;

/// <summary>What a read-modify-write decided: keep the object as it is, delete it, or store a new version.</summary>
internal readonly record struct StoreWrite(JsonObject? Object, bool Delete)
{
    public static StoreWrite Keep => default;

    public static StoreWrite Remove => new(null, true);

    public static StoreWrite Put(JsonObject obj) => new(obj, false);
}
