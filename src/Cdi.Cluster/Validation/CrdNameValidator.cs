using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// A CustomResourceDefinition is named <c>plural.group</c>, and its plural and kind are what the registry serves
/// under: they must be present, or the CRD would register a resource nobody can address.
/// </summary>
internal static class CrdNameValidator
{
    public static void Validate(JsonObject crd, List<FieldError> errors)
    {
        if (JsonFields.Object(crd["spec"], "spec", errors) is not { } spec)
        {
            errors.Add(FieldErrors.Required("spec"));
            return;
        }
        var group = JsonFields.String(spec, "group", "spec.group", errors) ?? "";
        var names = JsonFields.Object(spec["names"], "spec.names", errors);
        var plural = names is null ? "" : JsonFields.String(names, "plural", "spec.names.plural", errors) ?? "";
        var kind = names is null ? "" : JsonFields.String(names, "kind", "spec.names.kind", errors) ?? "";
        if (group.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.group"));
        }
        if (plural.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.plural"));
        }
        else
        {
            errors.AddRange(DnsNames.Label(plural).Select(m => FieldErrors.Invalid("spec.names.plural", plural, m)));
        }
        if (kind.Length == 0)
        {
            errors.Add(FieldErrors.Required("spec.names.kind"));
        }
        var name = (crd["metadata"] as JsonObject)?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        if (group.Length > 0 && plural.Length > 0 && name.Length > 0 && !string.Equals(name, plural + "." + group, StringComparison.Ordinal))
        {
            errors.Add(FieldErrors.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
    }
}
