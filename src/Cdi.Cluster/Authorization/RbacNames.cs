namespace Cdi.Cluster.Authorization;

/// <summary>The stored names (group-resources) of the RBAC kinds and the groups authentication assigns.</summary>
internal static class RbacNames
{
    public const string Group = "rbac.authorization.k8s.io";
    public const string Roles = "roles." + Group;
    public const string ClusterRoles = "clusterroles." + Group;
    public const string RoleBindings = "rolebindings." + Group;
    public const string ClusterRoleBindings = "clusterrolebindings." + Group;

    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";
    public const string ServiceAccounts = "system:serviceaccounts";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary><c>system:serviceaccount:NS:NAME</c>.</summary>
    public static string ServiceAccountUser(string ns, string name) => ServiceAccountPrefix + ns + ":" + name;

    /// <summary>The namespace and name of a service account's user name, or null for any other user.</summary>
    public static (string Namespace, string Name)? ParseServiceAccount(string user)
    {
        if (!user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = user[ServiceAccountPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < rest.Length - 1 && rest.IndexOf(':', colon + 1) < 0 ? (rest[..colon], rest[(colon + 1)..]) : null;
    }

    /// <summary>A service account's user: its groups as Kubernetes' authenticators give them.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new(ServiceAccountUser(ns, name), [ServiceAccounts, ServiceAccounts + ":" + ns, Authenticated]);
}
