using System.Text.Json.Nodes;

namespace Cdi.Cluster.Storage;

/// <summary>One committed change. <see cref="Object"/> and <see cref="Previous"/> are frozen: readers clone before editing.</summary>
internal sealed record WatchEvent(WatchEventType Type, string GroupResource, long ResourceVersion, JsonObject Object, JsonObject? Previous)
{
    public string WireType => Type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
