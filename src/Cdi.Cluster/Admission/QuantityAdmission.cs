using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Discovery;
using Cdi.Cluster.Validation;
using Quantity = Cdi.Kube.Models.Quantity;

namespace Cdi.Cluster.Admission;

/// <summary>
/// Refuses built-in objects whose resource quantities do not parse (a 422 naming the field, as Kubernetes' validation
/// does), so quota arithmetic, the provisioner and the controller only ever see quantities in Kubernetes' grammar.
/// </summary>
internal sealed class QuantityAdmission : IAdmissionValidator
{
    public AdmissionStage Stage => AdmissionStage.ObjectValidation;

    public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
    {
        var errors = new List<FieldError>();
        if (string.Equals(request.Subresource, "status", StringComparison.Ordinal))
        {
            return errors;
        }
        var obj = request.Object;
        switch (request.Definition.GroupResource)
        {
            case "pods":
                foreach (var (list, label) in new[] { ("containers", "containers"), ("initContainers", "initContainers") })
                {
                    var i = 0;
                    foreach (var c in At(obj, "spec", list) as JsonArray ?? [])
                    {
                        CheckMap(At(c, "resources", "requests"), $"spec.{label}[{i}].resources.requests", errors);
                        CheckMap(At(c, "resources", "limits"), $"spec.{label}[{i}].resources.limits", errors);
                        i++;
                    }
                }
                break;
            case "persistentvolumeclaims":
                CheckMap(At(obj, "spec", "resources", "requests"), "spec.resources.requests", errors);
                CheckMap(At(obj, "spec", "resources", "limits"), "spec.resources.limits", errors);
                break;
            case "resourcequotas":
                CheckMap(At(obj, "spec", "hard"), "spec.hard", errors);
                break;
            case "limitranges":
                var j = 0;
                foreach (var item in At(obj, "spec", "limits") as JsonArray ?? [])
                {
                    foreach (var field in new[] { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" })
                    {
                        CheckMap(At(item, field), $"spec.limits[{j}].{field}", errors);
                    }
                    j++;
                }
                break;
        }
        return errors;
    }

    /// <summary>The node at a path of object fields; null where any step is missing or not an object (a hostile body may
    /// put a string where an object belongs; indexing that would throw and answer 500).</summary>
    private static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = (node as JsonObject)?[name];
        }
        return node;
    }

    private static void CheckMap(JsonNode? map, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in map as JsonObject ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<decimal>(out _))
            {
                continue; // a JSON number is a quantity too
            }
            var text = value is JsonValue s && s.TryGetValue<string>(out var str) ? str : value?.ToJsonString();
            if (!Quantity.TryParse(text, out _))
            {
                errors.Add(new FieldError($"{path}[{key}]", "FieldValueInvalid", $"Invalid value: \"{text}\": {Quantity.Syntax}"));
            }
        }
    }
}
