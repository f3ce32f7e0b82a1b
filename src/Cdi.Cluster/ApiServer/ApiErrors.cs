using System.Text.Json.Nodes;
using Cdi.Cluster.Discovery;

namespace Cdi.Cluster.ApiServer;

/// <summary>The Status errors Kubernetes sends, with its exact message formats (k8s.io/apimachinery/pkg/api/errors).</summary>
internal static class ApiErrors
{
    public const int MaxCauses = 100;

    public static ApiException NotFound(ResourceDefinition d, string name) =>
        new(404, "NotFound", $"{d.GroupResource} \"{name}\" not found", Details(d, name));

    public static ApiException NotFound(string groupResource, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = groupResource });

    public static ApiException AlreadyExists(ResourceDefinition d, string name) =>
        new(409, "AlreadyExists", $"{d.GroupResource} \"{name}\" already exists", Details(d, name));

    public static ApiException Conflict(ResourceDefinition d, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {d.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(d, name));

    public static ApiException Forbidden(ResourceDefinition d, string name, string why) =>
        new(403, "Forbidden", $"{d.GroupResource} \"{name}\" is forbidden: {why}", Details(d, name));

    /// <summary>
    /// 422 with one cause per field error; kubectl prints "The {Kind} \"name\" is invalid: " and the causes. A hostile
    /// object can fail thousands of checks: the first <see cref="MaxCauses"/> are listed, so the answer stays small.
    /// </summary>
    public static ApiException Invalid(ResourceDefinition d, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = d.Group.Length == 0 ? d.Kind : d.Kind + "." + d.Group;
        var listed = errors.Count > MaxCauses
            ? [.. errors.Take(MaxCauses), new FieldError("<list>", "FieldValueTooMany", $"Too many: {errors.Count}: only the first {MaxCauses} errors are listed")]
            : errors;
        // Kubernetes' aggregate error drops repeated messages; the causes keep every one.
        var messages = listed.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var aggregate = messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
        var details = new JsonObject { ["name"] = name };
        if (d.Group.Length > 0)
        {
            details["group"] = d.Group;
        }
        details["kind"] = d.Kind;
        details["causes"] = new JsonArray([.. listed.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field })]);
        return new ApiException(422, "Invalid", $"{qualifiedKind} {Validation.GoQuoted.Of(name)} is invalid: {aggregate}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string verb, ResourceDefinition d) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource", new JsonObject { ["kind"] = d.GroupResource, ["causes"] = new JsonArray(new JsonObject { ["message"] = verb }) });

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json, not {contentType}");

    public static ApiException PageNotFound() => new(404, "NotFound", "the server could not find the requested resource");

    private static JsonObject Details(ResourceDefinition d, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (d.Group.Length > 0)
        {
            details["group"] = d.Group;
        }
        details["kind"] = d.Plural;
        return details;
    }
}
