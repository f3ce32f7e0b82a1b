using System.Text.Json.Nodes;
using Cdi.Cluster.Authentication;
using Cdi.Cluster.Authorization;
using Microsoft.AspNetCore.Http;

namespace Cdi.Cluster.ApiServer;

/// <summary>
/// The review kinds, answered by the same RBAC authorizer that guards requests and never stored:
/// SelfSubjectAccessReview (<c>kubectl auth can-i</c>, for the requesting, possibly impersonated, user),
/// SubjectAccessReview and LocalSubjectAccessReview (for <c>spec.user</c>/<c>spec.groups</c>),
/// SelfSubjectRulesReview (<c>kubectl auth can-i --list</c>) and SelfSubjectReview (<c>kubectl auth whoami</c>).
/// </summary>
internal sealed class AccessReviews(RbacAuthorizer authorizer)
{
    public static bool Handles(ResourceRequest r) => r.Definition.GroupResource is
        "selfsubjectaccessreviews.authorization.k8s.io" or "subjectaccessreviews.authorization.k8s.io" or "localsubjectaccessreviews.authorization.k8s.io"
        or "selfsubjectrulesreviews.authorization.k8s.io" or "selfsubjectreviews.authentication.k8s.io";

    public async Task HandleAsync(HttpContext context, ResourceRequest r)
    {
        if (context.Request.Method != "POST" || r.Name is not null || r.Subresource is not null)
        {
            throw ApiErrors.MethodNotAllowed(context.Request.Method, r.Definition);
        }
        var review = await HttpJson.ReadObjectAsync(context).ConfigureAwait(false);
        var spec = review["spec"] as JsonObject ?? [];
        var requester = RequestUser.Of(context);
        review["apiVersion"] = r.Definition.ApiVersion(r.Version);
        review["kind"] = r.Definition.Kind;
        review["status"] = r.Definition.Plural switch
        {
            "selfsubjectreviews" => new JsonObject
            {
                ["userInfo"] = new JsonObject { ["username"] = requester.Name, ["groups"] = Strings(requester.Groups) },
            },
            "selfsubjectrulesreviews" => Rules(r, requester, Text(spec["namespace"])),
            "selfsubjectaccessreviews" => Decide(r, requester, spec, null),
            "localsubjectaccessreviews" => Decide(r, Subject(r, spec), spec, r.Namespace),
            _ => Decide(r, Subject(r, spec), spec, null),
        };
        await HttpJson.WriteAsync(context, 201, review).ConfigureAwait(false);
    }

    private JsonObject Decide(ResourceRequest r, UserInfo user, JsonObject spec, string? forcedNamespace)
    {
        AuthorizationDecision decision;
        if (spec["resourceAttributes"] is JsonObject a && spec["nonResourceAttributes"] is null)
        {
            var ns = Text(a["namespace"]);
            if (forcedNamespace is not null && !string.IsNullOrEmpty(ns) && ns != forcedNamespace)
            {
                throw Invalid(r, "spec.resourceAttributes.namespace", $"must match metadata.namespace \"{forcedNamespace}\"");
            }
            decision = authorizer.Authorize(user, new ResourceAttributes(Text(a["verb"]) ?? "", Text(a["group"]) ?? "", Text(a["resource"]) ?? "",
                NullIfEmpty(Text(a["subresource"])), NullIfEmpty(forcedNamespace ?? ns), NullIfEmpty(Text(a["name"]))));
        }
        else if (spec["nonResourceAttributes"] is JsonObject n && spec["resourceAttributes"] is null)
        {
            decision = authorizer.AuthorizePath(user, Text(n["verb"]) ?? "", Text(n["path"]) ?? "");
        }
        else
        {
            throw Invalid(r, "spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0)
        {
            status["reason"] = decision.Reason;
        }
        return status;
    }

    private static UserInfo Subject(ResourceRequest r, JsonObject spec)
    {
        var user = Text(spec["user"]) ?? "";
        var groups = (spec["groups"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
        return user.Length == 0 && groups.Count == 0 ? throw Invalid(r, "spec.user", "at least one of user or group must be specified") : new UserInfo(user, groups);
    }

    private JsonObject Rules(ResourceRequest r, UserInfo user, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            throw Invalid(r, "spec.namespace", "Required value");
        }
        var rules = authorizer.RulesFor(user, ns);
        var resourceRules = new JsonArray();
        var nonResourceRules = new JsonArray();
        foreach (var rule in rules)
        {
            if (rule.Resources.Count > 0)
            {
                var entry = new JsonObject { ["verbs"] = Strings(rule.Verbs), ["apiGroups"] = Strings(rule.ApiGroups), ["resources"] = Strings(rule.Resources) };
                if (rule.ResourceNames.Count > 0)
                {
                    entry["resourceNames"] = Strings(rule.ResourceNames);
                }
                resourceRules.Add(entry);
            }
            if (rule.NonResourceUrls.Count > 0)
            {
                nonResourceRules.Add(new JsonObject { ["verbs"] = Strings(rule.Verbs), ["nonResourceURLs"] = Strings(rule.NonResourceUrls) });
            }
        }
        return new JsonObject { ["resourceRules"] = resourceRules, ["nonResourceRules"] = nonResourceRules, ["incomplete"] = false };
    }

    private static ApiException Invalid(ResourceRequest r, string field, string detail) =>
        ApiErrors.Invalid(r.Definition, "", [new FieldError(field, "FieldValueInvalid", detail)]);

    private static JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
