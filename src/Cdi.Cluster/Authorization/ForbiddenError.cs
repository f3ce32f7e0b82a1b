using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Authorization;

/// <summary>The 403 Status the real API server sends when authorization refuses, with its exact message shape.</summary>
internal static class ForbiddenError
{
    /// <summary>
    /// <c>pods "p" is forbidden: User "u" cannot get resource "pods/log" in API group "" in the namespace "ns"</c>;
    /// without a name <c>pods is forbidden: ...</c>; cluster-scoped requests end <c>at the cluster scope</c>.
    /// </summary>
    public static ApiException For(UserInfo user, ResourceAttributes a, string reason)
    {
        var resource = string.IsNullOrEmpty(a.Subresource) ? a.Resource : a.Resource + "/" + a.Subresource;
        var scope = string.IsNullOrEmpty(a.Namespace) ? "at the cluster scope" : $"in the namespace \"{a.Namespace}\"";
        var why = $"User \"{user.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.Group}\" {scope}" + (reason.Length > 0 ? ": " + reason : "");
        var groupResource = a.Group.Length == 0 ? a.Resource : a.Resource + "." + a.Group;
        var message = string.IsNullOrEmpty(a.Name) ? $"{groupResource} is forbidden: {why}" : $"{groupResource} \"{a.Name}\" is forbidden: {why}";
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(a.Name))
        {
            details["name"] = a.Name;
        }
        if (a.Group.Length > 0)
        {
            details["group"] = a.Group;
        }
        details["kind"] = a.Resource;
        return new ApiException(403, "Forbidden", message, details);
    }

    /// <summary><c>forbidden: User "u" cannot get path "/apis"</c>.</summary>
    public static ApiException ForPath(UserInfo user, string verb, string path) =>
        new(403, "Forbidden", $"forbidden: User \"{user.Name}\" cannot {verb} path \"{path}\"", new JsonObject());
}
