using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// events.k8s.io/v1 is another view of the core v1 events, as in Kubernetes: one store, fields renamed on the way
/// in and out, so `kubectl describe` (core) sees events a controller wrote through events.k8s.io and the reverse.
/// </summary>
internal static class EventsV1
{
    public const string Group = "events.k8s.io";

    // (events.k8s.io/v1 field, core/v1 field)
    private static readonly (string V1, string Core)[] Renames =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static bool Applies(ResourceDefinition d) => d.Group == Group && d.Plural == "events";

    public static JsonObject ToCore(JsonObject v1)
    {
        Rename(v1, r => r.V1, r => r.Core);
        v1["apiVersion"] = "v1";
        return v1;
    }

    public static JsonObject ToV1(JsonObject core)
    {
        Rename(core, r => r.Core, r => r.V1);
        core["apiVersion"] = Group + "/v1";
        return core;
    }

    /// <summary>A field selector written against events.k8s.io names, in core names.</summary>
    public static string? CoreFieldSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return selector;
        }
        foreach (var (v1, core) in Renames)
        {
            selector = selector.Replace(v1, core, StringComparison.Ordinal);
        }
        return selector;
    }

    private static void Rename(JsonObject o, Func<(string V1, string Core), string> from, Func<(string V1, string Core), string> to)
    {
        foreach (var r in Renames)
        {
            if (o[from(r)] is { } value)
            {
                o.Remove(from(r));
                o[to(r)] = value;
            }
        }
    }
}
