using System.Text.Json.Nodes;

namespace Cdi.Cluster.Authorization;

/// <summary>One RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule) as read from a Role or ClusterRole.</summary>
internal sealed record PolicyRule(IReadOnlyList<string> Verbs, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources,
    IReadOnlyList<string> ResourceNames, IReadOnlyList<string> NonResourceUrls)
{
    /// <summary>The rules of a stored Role or ClusterRole; entries that are not strings are ignored (they match nothing).</summary>
    public static IReadOnlyList<PolicyRule> Of(JsonObject role) =>
        [.. (role["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new PolicyRule(
            Strings(r["verbs"]), Strings(r["apiGroups"]), Strings(r["resources"]), Strings(r["resourceNames"]), Strings(r["nonResourceURLs"])))];

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        [.. (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()];

    /// <summary>As Kubernetes' RBAC: verb, API group, resource (with subresource) and, when the rule names any, the object's name.</summary>
    public bool Allows(ResourceAttributes a) =>
        Matches(Verbs, a.Verb) && Matches(ApiGroups, a.Group) && ResourceMatches(a) && (ResourceNames.Count == 0 || (a.Name is { Length: > 0 } n && ResourceNames.Contains(n, StringComparer.Ordinal)));

    /// <summary>A non-resource URL: exact, <c>*</c>, or a prefix ending in <c>*</c>.</summary>
    public bool Allows(string verb, string path) =>
        Matches(Verbs, verb) && NonResourceUrls.Any(u => u == "*" || u == path || (u.EndsWith('*') && path.StartsWith(u[..^1], StringComparison.Ordinal)));

    private bool ResourceMatches(ResourceAttributes a)
    {
        var combined = string.IsNullOrEmpty(a.Subresource) ? a.Resource : a.Resource + "/" + a.Subresource;
        foreach (var r in Resources)
        {
            // "pods" does not cover "pods/log"; "*/status" covers every resource's status.
            if (r == "*" || r == combined || (!string.IsNullOrEmpty(a.Subresource) && r == "*/" + a.Subresource))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(IReadOnlyList<string> values, string wanted) => values.Any(v => v == "*" || v == wanted);
}
