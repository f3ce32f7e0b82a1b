using System.Text.Json.Nodes;
using Cdi.Cluster.Authorization;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// The bootstrap roles and bindings a Kubernetes API server creates (a subset): <c>cluster-admin</c> bound to
/// <c>system:masters</c>; <c>system:discovery</c> (discovery and OpenAPI paths) and <c>system:basic-user</c> (the self
/// reviews) bound to every authenticated user, so a service account can run <c>kubectl auth can-i</c>;
/// <c>view</c>/<c>edit</c>/<c>admin</c> are not made (they are aggregated roles upstream).
/// </summary>
internal static class DefaultRbac
{
    public static IEnumerable<(string Plural, JsonObject Object)> Objects()
    {
        yield return ("clusterroles", Role("cluster-admin",
            Rule(["*"], apiGroups: ["*"], resources: ["*"]),
            Rule(["*"], nonResourceUrls: ["*"])));
        yield return ("clusterroles", Role("system:discovery",
            Rule(["get"], nonResourceUrls: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])));
        yield return ("clusterroles", Role("system:basic-user",
            Rule(["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"])));
        yield return ("clusterrolebindings", Binding("cluster-admin", "cluster-admin", RbacNames.Masters));
        yield return ("clusterrolebindings", Binding("system:discovery", "system:discovery", RbacNames.Authenticated));
        yield return ("clusterrolebindings", Binding("system:basic-user", "system:basic-user", RbacNames.Authenticated));
    }

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray([.. rules]),
    };

    private static JsonObject Rule(string[] verbs, string[]? apiGroups = null, string[]? resources = null, string[]? nonResourceUrls = null)
    {
        var rule = new JsonObject { ["verbs"] = Strings(verbs) };
        if (apiGroups is not null)
        {
            rule["apiGroups"] = Strings(apiGroups);
        }
        if (resources is not null)
        {
            rule["resources"] = Strings(resources);
        }
        if (nonResourceUrls is not null)
        {
            rule["nonResourceURLs"] = Strings(nonResourceUrls);
        }
        return rule;
    }

    private static JsonObject Binding(string name, string role, string group) => new()
    {
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacNames.Group, ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = RbacNames.Group, ["kind"] = "Group", ["name"] = group }),
    };

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}
