namespace Cdi.Bench.ControlPlane;

/// <summary>A request's verb (get, list, watch, create, update, patch, delete) and resource (with subresource), from its method and path.</summary>
internal static class RequestKind
{
    public static (string Verb, string Resource, bool Write) Of(string method, string path, string query)
    {
        // /api/v1/[namespaces/NS/]RESOURCE[/NAME[/SUB]] or /apis/GROUP/VERSION/[namespaces/NS/]RESOURCE[/NAME[/SUB]]
        var parts = path.Trim('/').Split('/');
        var i = parts.Length > 0 && parts[0] == "api" ? 2 : 3;
        if (parts.Length > i + 1 && parts[i] == "namespaces" && parts.Length > i + 2)
        {
            i += 2;
        }
        var resource = parts.Length > i ? parts[i] : path;
        var named = parts.Length > i + 1;
        if (parts.Length > i + 2)
        {
            resource += "/" + parts[i + 2];
        }
        var verb = method switch
        {
            "GET" when query.Contains("watch=1", StringComparison.Ordinal) || query.Contains("watch=true", StringComparison.Ordinal) => "watch",
            "GET" => named ? "get" : "list",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return (verb, resource, method is "POST" or "PUT" or "PATCH" or "DELETE");
    }
}
