using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Discovery;

/// <summary>
/// A minimal OpenAPI v3: the index (/openapi/v3) and, per group-version, PATCH operations tagged with their
/// group-version-kind that declare the <c>fieldValidation</c> query parameter. That is what kubectl checks to decide the
/// server validates fields itself (so it skips client-side validation, which would need the full schemas).
/// No schemas are published: kubectl apply then computes patches from its compiled-in types (core kinds) or as JSON
/// merge patches (custom resources).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Index(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in GroupVersions(registry))
        {
            var doc = GroupVersion(registry, gv);
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={Hash(doc!)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <param name="path">"api/v1" or "apis/{group}/{version}".</param>
    public static JsonObject? GroupVersion(ResourceRegistry registry, string path)
    {
        var parts = path.Split('/');
        var (group, version) = parts switch
        {
            ["api", var v] => ("", v),
            ["apis", var g, var v] => (g, v),
            _ => ("", ""),
        };
        var defs = registry.All.Where(d => d.Group == group && d.Versions.Contains(version, StringComparer.Ordinal)).OrderBy(d => d.Plural, StringComparer.Ordinal).ToList();
        if (defs.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var d in defs)
        {
            if (d.Schema is not null)
            {
                // A custom resource's structural schema, tagged with its kind: enough for `kubectl explain`.
                var schema = (JsonObject)d.Schema.DeepClone();
                schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = d.Kind });
                schemas[SchemaName(group, version, d.Kind)] = schema;
            }
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var url = d.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{d.Plural}/{{name}}" : $"{prefix}/{d.Plural}/{{name}}";
            paths[url] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{d.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = d.Kind },
                },
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (cdi local cluster)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    // Kubernetes names CRD schemas by the group reversed: cdi.kubevirt.io/v1beta1 DataVolume → io.kubevirt.cdi.v1beta1.DataVolume.
    private static string SchemaName(string group, string version, string kind) =>
        string.Join('.', group.Split('.').Reverse()) + "." + version + "." + kind;

    private static IEnumerable<string> GroupVersions(ResourceRegistry registry) =>
        registry.All.SelectMany(d => d.Versions.Select(v => d.Group.Length == 0 ? $"api/{v}" : $"apis/{d.Group}/{v}"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string Hash(JsonObject doc) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())))[..32];
}
