using System.Text.Json.Nodes;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Authorization;

/// <summary>
/// Kubernetes' RBAC authorizer over the stored Roles, ClusterRoles and their bindings: a request is allowed when a
/// ClusterRoleBinding, or a RoleBinding in the request's namespace, binds a subject matching the user to a role with
/// a rule that allows it. Members of <c>system:masters</c> are allowed everything without looking (as the real API
/// server's superuser short-circuit). Read afresh on every decision, so a new binding applies to the next request.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store) : IAuthorizer
{
    public AuthorizationDecision Authorize(UserInfo user, ResourceAttributes attributes)
    {
        if (IsMaster(user))
        {
            return AuthorizationDecision.Allow("member of system:masters");
        }
        var grant = Grants(user, attributes.Namespace).FirstOrDefault(g => g.Rules.Any(r => r.Allows(attributes)));
        return grant is null ? AuthorizationDecision.Deny("") : AuthorizationDecision.Allow("RBAC: allowed by " + grant.Source);
    }

    /// <summary>A request for a path outside the resource tree (discovery, /openapi): only cluster-wide bindings apply.</summary>
    public AuthorizationDecision AuthorizePath(UserInfo user, string verb, string path)
    {
        if (IsMaster(user))
        {
            return AuthorizationDecision.Allow("member of system:masters");
        }
        var grant = Grants(user, null).FirstOrDefault(g => g.Rules.Any(r => r.Allows(verb, path)));
        return grant is null ? AuthorizationDecision.Deny("") : AuthorizationDecision.Allow("RBAC: allowed by " + grant.Source);
    }

    /// <summary>Every rule that applies to the user in <paramref name="ns"/> (cluster-wide ones included): SelfSubjectRulesReview's answer.</summary>
    public IReadOnlyList<PolicyRule> RulesFor(UserInfo user, string ns) =>
        IsMaster(user)
            ? [new PolicyRule(["*"], ["*"], ["*"], [], []), new PolicyRule(["*"], [], [], [], ["*"])]
            : [.. Grants(user, ns).SelectMany(g => g.Rules)];

    private static bool IsMaster(UserInfo user) => user.Groups.Contains(RbacNames.Masters, StringComparer.Ordinal);

    private sealed record Grant(string Source, IReadOnlyList<PolicyRule> Rules);

    // Lazily, binding by binding: the first grant that allows ends the search.
    private IEnumerable<Grant> Grants(UserInfo user, string? ns)
    {
        foreach (var binding in store.List(RbacNames.ClusterRoleBindings, null).Items)
        {
            if (Binds(binding, user, "") && Role(binding, "") is { } role)
            {
                yield return new Grant(Describe("ClusterRoleBinding", binding, role.Kind, role.Name), PolicyRule.Of(role.Object));
            }
        }
        if (string.IsNullOrEmpty(ns))
        {
            yield break;
        }
        foreach (var binding in store.List(RbacNames.RoleBindings, ns).Items)
        {
            if (Binds(binding, user, ns) && Role(binding, ns) is { } role)
            {
                yield return new Grant(Describe("RoleBinding", binding, role.Kind, role.Name), PolicyRule.Of(role.Object));
            }
        }
    }

    private static string Describe(string kind, JsonObject binding, string roleKind, string roleName)
    {
        var where = ObjectMeta.Namespace(binding) is { Length: > 0 } ns ? $" in namespace \"{ns}\"" : "";
        return $"{kind} \"{ObjectMeta.Name(binding)}\"{where} of {roleKind} \"{roleName}\"";
    }

    /// <summary>The bound role: a ClusterRole, or (RoleBindings only) a Role of the binding's namespace; null when missing.</summary>
    private (string Kind, string Name, JsonObject Object)? Role(JsonObject binding, string ns)
    {
        var roleRef = binding["roleRef"] as JsonObject;
        var kind = Text(roleRef?["kind"]);
        var name = Text(roleRef?["name"]);
        if (string.IsNullOrEmpty(name) || Text(roleRef?["apiGroup"]) is { } g && g != RbacNames.Group)
        {
            return null;
        }
        var found = kind switch
        {
            "ClusterRole" => store.Get(new ObjectKey(RbacNames.ClusterRoles, "", name)),
            "Role" when ns.Length > 0 => store.Get(new ObjectKey(RbacNames.Roles, ns, name)),
            _ => null,
        };
        return found is null ? null : (kind!, name, found);
    }

    /// <summary>Whether a subject of the binding is the user: by name, by one of its groups, or as its service account.</summary>
    private static bool Binds(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = Text(subject["name"]);
            var matches = Text(subject["kind"]) switch
            {
                "User" => name == user.Name,
                "Group" => name is not null && user.Groups.Contains(name, StringComparer.Ordinal),
                // A RoleBinding's service account without a namespace is one of the binding's namespace.
                "ServiceAccount" => name is not null
                    && RbacNames.ServiceAccountUser(Text(subject["namespace"]) is { Length: > 0 } sns ? sns : bindingNamespace, name) == user.Name,
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }
        return false;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
