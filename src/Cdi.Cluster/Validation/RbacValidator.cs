using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The field checks kube-apiserver makes on the RBAC kinds that decide what a binding means: every rule has verbs;
/// a binding's roleRef names a Role or ClusterRole of rbac.authorization.k8s.io (a ClusterRoleBinding only a
/// ClusterRole); every subject is a User, Group or ServiceAccount with a name (a cluster-wide service account also
/// with its namespace).
/// </summary>
internal static class RbacValidator
{
    public static void Role(JsonObject role, List<FieldError> errors)
    {
        var rules = role["rules"] as JsonArray ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i]?["verbs"] is not JsonArray { Count: > 0 })
            {
                errors.Add(new FieldError($"rules[{i}].verbs", "FieldValueRequired", "Required value: verbs must contain at least one value"));
            }
        }
    }

    public static void RoleBinding(JsonObject binding, List<FieldError> errors) => Binding(binding, errors, clusterWide: false);

    public static void ClusterRoleBinding(JsonObject binding, List<FieldError> errors) => Binding(binding, errors, clusterWide: true);

    private static void Binding(JsonObject binding, List<FieldError> errors, bool clusterWide)
    {
        var roleRef = binding["roleRef"] as JsonObject;
        if (Text(roleRef?["apiGroup"]) != Authorization.RbacNames.Group)
        {
            errors.Add(new FieldError("roleRef.apiGroup", "FieldValueNotSupported", $"Unsupported value: \"{Text(roleRef?["apiGroup"])}\": supported values: \"{Authorization.RbacNames.Group}\""));
        }
        var kinds = clusterWide ? "\"ClusterRole\"" : "\"ClusterRole\", \"Role\"";
        if (Text(roleRef?["kind"]) is not { } kind || !(kind == "ClusterRole" || (!clusterWide && kind == "Role")))
        {
            errors.Add(new FieldError("roleRef.kind", "FieldValueNotSupported", $"Unsupported value: \"{Text(roleRef?["kind"])}\": supported values: {kinds}"));
        }
        if (string.IsNullOrEmpty(Text(roleRef?["name"])))
        {
            errors.Add(new FieldError("roleRef.name", "FieldValueRequired", "Required value"));
        }
        var subjects = binding["subjects"] as JsonArray ?? [];
        for (var i = 0; i < subjects.Count; i++)
        {
            var subject = subjects[i] as JsonObject;
            var subjectKind = Text(subject?["kind"]);
            if (subjectKind is not ("User" or "Group" or "ServiceAccount"))
            {
                errors.Add(new FieldError($"subjects[{i}].kind", "FieldValueNotSupported", $"Unsupported value: \"{subjectKind}\": supported values: \"Group\", \"ServiceAccount\", \"User\""));
            }
            if (string.IsNullOrEmpty(Text(subject?["name"])))
            {
                errors.Add(new FieldError($"subjects[{i}].name", "FieldValueRequired", "Required value"));
            }
            if (clusterWide && subjectKind == "ServiceAccount" && string.IsNullOrEmpty(Text(subject?["namespace"])))
            {
                errors.Add(new FieldError($"subjects[{i}].namespace", "FieldValueRequired", "Required value"));
            }
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
