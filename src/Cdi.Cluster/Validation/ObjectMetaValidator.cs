using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// <c>metadata</c> as kube-apiserver checks it: the name (or generateName, as a prefix) by the kind's rule, the
/// namespace as a DNS label, then labels, annotations, owner references, finalizers and managed fields.
/// </summary>
internal static class ObjectMetaValidator
{
    /// <param name="checkNames">
    /// False on updates: name and namespace cannot change then, and an object stored before these rules existed must
    /// still be updatable (to drop its finalizers, say) so that it can be deleted.
    /// </param>
    public static void Validate(JsonObject obj, NameRule nameRule, bool namespaced, bool checkNames, List<FieldError> errors)
    {
        if (JsonFields.Object(obj["metadata"], "metadata", errors) is not { } meta)
        {
            if (obj["metadata"] is null && checkNames)
            {
                errors.Add(FieldErrors.Required("metadata.name", "name or generateName is required"));
            }
            return;
        }
        if (checkNames)
        {
            Names(meta, nameRule, namespaced, errors);
        }
        LabelsValidator.Validate(meta["labels"], "metadata.labels", errors);
        AnnotationsValidator.Validate(meta["annotations"], "metadata.annotations", errors);
        OwnerReferencesValidator.Validate(meta["ownerReferences"], "metadata.ownerReferences", errors);
        FinalizersValidator.Validate(meta["finalizers"], "metadata.finalizers", errors);
        ManagedFields(meta["managedFields"], "metadata.managedFields", errors);
    }

    private static void Names(JsonObject meta, NameRule nameRule, bool namespaced, List<FieldError> errors)
    {
        var before = errors.Count;
        var generateName = JsonFields.String(meta, "generateName", "metadata.generateName", errors) ?? "";
        if (generateName.Length > 0)
        {
            errors.AddRange(nameRule(generateName, true).Select(m => FieldErrors.Invalid("metadata.generateName", generateName, m)));
        }
        // A bad generateName makes the generated name bad too: say it once.
        if (errors.Count == before)
        {
            var name = JsonFields.String(meta, "name", "metadata.name", errors) ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldErrors.Required("metadata.name", "name or generateName is required"));
            }
            else
            {
                errors.AddRange(nameRule(name, false).Select(m => FieldErrors.Invalid("metadata.name", name, m)));
            }
        }
        var ns = JsonFields.String(meta, "namespace", "metadata.namespace", errors) ?? "";
        if (namespaced)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldErrors.Required("metadata.namespace"));
            }
            else
            {
                errors.AddRange(DnsNames.Label(ns).Select(m => FieldErrors.Invalid("metadata.namespace", ns, m)));
            }
        }
        else if (ns.Length > 0)
        {
            errors.Add(FieldErrors.Forbidden("metadata.namespace", "not allowed on this type"));
        }
    }

    /// <summary>Server-side apply reads these back: each entry an object with a known operation and FieldsV1.</summary>
    private static void ManagedFields(JsonNode? managed, string path, List<FieldError> errors)
    {
        foreach (var (i, entry) in JsonFields.Objects(managed, path, errors))
        {
            var item = $"{path}[{i}]";
            JsonFields.String(entry, "manager", item + ".manager", errors);
            JsonFields.String(entry, "apiVersion", item + ".apiVersion", errors);
            JsonFields.String(entry, "time", item + ".time", errors);
            var operation = JsonFields.String(entry, "operation", item + ".operation", errors);
            if (operation is not null and not "Apply" and not "Update")
            {
                errors.Add(FieldErrors.Invalid(item + ".operation", operation, "must be `Apply` or `Update`"));
            }
            var fieldsType = JsonFields.String(entry, "fieldsType", item + ".fieldsType", errors);
            if (fieldsType is { Length: > 0 } and not "FieldsV1")
            {
                errors.Add(FieldErrors.Invalid(item + ".fieldsType", fieldsType, "must be `FieldsV1`"));
            }
            JsonFields.Object(entry["fieldsV1"], item + ".fieldsV1", errors);
        }
    }
}
