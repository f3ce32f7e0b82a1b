using Cdi.Cluster.Authorization;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// A resource request in RBAC's terms, as Kubernetes' RequestInfo derives them: GET is get (with a name), list, or
/// watch (<c>?watch=true</c>); POST create; PUT update; PATCH patch; DELETE delete, or deletecollection without a
/// name. A namespace's own URL (<c>/api/v1/namespaces/x</c>) is in namespace x, so a RoleBinding there can grant it.
/// </summary>
internal static class RequestVerbs
{
    public static ResourceAttributes Attributes(string method, IQueryCollection query, ResourceRequest r)
    {
        var watch = query["watch"].ToString() is "1" or "true" or "True";
        var verb = method switch
        {
            "GET" or "HEAD" when r.Name is null => watch ? "watch" : "list",
            "GET" or "HEAD" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when r.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        var ns = r.Namespace ?? (r.Definition.GroupResource == "namespaces" ? r.Name : null);
        return new ResourceAttributes(verb, r.Definition.Group, r.Definition.Plural, r.Subresource, ns, r.Name);
    }
}
