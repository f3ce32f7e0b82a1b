using System.Text.Json.Nodes;

namespace Cdi.Cluster.Discovery;

/// <summary>
/// The legacy (unaggregated) discovery documents: /api, /apis, /api/v1 and /apis/{group}/{version}. kubectl 1.32 asks
/// for aggregated discovery first but also accepts plain JSON, and then falls back to these.
/// </summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceRegistry registry)
    {
        var groups = new JsonArray();
        foreach (var g in registry.All.Where(d => d.Group.Length > 0).GroupBy(d => d.Group, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var group = Group(g.Key, g);
            groups.Add(group);
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? Group(ResourceRegistry registry, string group)
    {
        var defs = registry.All.Where(d => string.Equals(d.Group, group, StringComparison.Ordinal)).ToList();
        if (defs.Count == 0)
        {
            return null;
        }
        var doc = Group(group, defs);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    public static JsonObject? ResourceList(ResourceRegistry registry, string group, string version)
    {
        var defs = registry.All
            .Where(d => string.Equals(d.Group, group, StringComparison.Ordinal) && d.Versions.Contains(version, StringComparer.Ordinal))
            .OrderBy(d => d.Plural, StringComparer.Ordinal)
            .ToList();
        if (defs.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var d in defs)
        {
            var r = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = d.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = Strings(d.Verbs ?? AllVerbs),
            };
            if (d.ShortNames.Count > 0)
            {
                r["shortNames"] = Strings(d.ShortNames);
            }
            if (d.Categories.Count > 0)
            {
                r["categories"] = Strings(d.Categories);
            }
            resources.Add(r);
            if (d.HasStatus)
            {
                resources.Add(Subresource(d, "status", ["get", "patch", "update"]));
            }
            foreach (var sub in d.Subresources)
            {
                resources.Add(Subresource(d, sub, sub is "binding" or "token" ? ["create"] : ["get"]));
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static JsonObject Group(string name, IEnumerable<ResourceDefinition> defs)
    {
        // The first version listed by any definition of the group is preferred (the CRD's storage version comes first).
        var versions = defs.SelectMany(d => d.Versions).Distinct(StringComparer.Ordinal).ToList();
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = name + "/" + v, ["version"] = v });
        }
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = name + "/" + versions[0], ["version"] = versions[0] },
        };
    }

    private static JsonObject Subresource(ResourceDefinition d, string sub, string[] verbs) => new()
    {
        ["name"] = d.Plural + "/" + sub,
        ["singularName"] = "",
        ["namespaced"] = d.Namespaced,
        ["kind"] = d.Kind,
        ["verbs"] = Strings(verbs),
    };

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}
