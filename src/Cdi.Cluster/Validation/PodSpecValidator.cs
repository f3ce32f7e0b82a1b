using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The pod fields the pod runner builds processes and files from: container and volume names (DNS labels, unique),
/// mounts (declared volumes, absolute mount paths, descending subPaths), projected item paths, and no hostPath
/// volumes (a pod could otherwise mount any host folder; only PersistentVolumes name host paths).
/// </summary>
internal static class PodSpecValidator
{
    public static void Validate(JsonObject pod, List<FieldError> errors)
    {
        if (pod["spec"] is null)
        {
            errors.Add(FieldErrors.Required("spec.containers"));
            return;
        }
        if (JsonFields.Object(pod["spec"], "spec", errors) is not { } spec)
        {
            return;
        }
        var volumes = Volumes(spec, errors);
        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        var containers = JsonFields.Objects(spec["containers"], "spec.containers", errors);
        if (containers.Count == 0 && spec["containers"] is null or JsonArray)
        {
            errors.Add(FieldErrors.Required("spec.containers"));
        }
        foreach (var list in new[] { "initContainers", "containers" })
        {
            var items = list == "containers" ? containers : JsonFields.Objects(spec[list], "spec." + list, errors);
            foreach (var (i, c) in items)
            {
                Container(c, $"spec.{list}[{i}]", volumes, containerNames, errors);
            }
        }
    }

    private static HashSet<string> Volumes(JsonObject spec, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, v) in JsonFields.Objects(spec["volumes"], "spec.volumes", errors))
        {
            var path = $"spec.volumes[{i}]";
            UniqueLabel(v, path + ".name", names, errors);
            if (v["hostPath"] is not null)
            {
                errors.Add(FieldErrors.Forbidden(path + ".hostPath",
                    "hostPath volumes are not allowed in pods on the local cluster; use a PersistentVolumeClaim"));
            }
            if (JsonFields.Object(v["configMap"], path + ".configMap", errors) is { } configMap)
            {
                JsonFields.String(configMap, "name", path + ".configMap.name", errors);
                Items(configMap, path + ".configMap", errors);
            }
            if (JsonFields.Object(v["secret"], path + ".secret", errors) is { } secret)
            {
                JsonFields.String(secret, "secretName", path + ".secret.secretName", errors);
                Items(secret, path + ".secret", errors);
            }
            if (JsonFields.Object(v["persistentVolumeClaim"], path + ".persistentVolumeClaim", errors) is { } claim
                && string.IsNullOrEmpty(JsonFields.String(claim, "claimName", path + ".persistentVolumeClaim.claimName", errors)))
            {
                errors.Add(FieldErrors.Required(path + ".persistentVolumeClaim.claimName"));
            }
            JsonFields.Object(v["emptyDir"], path + ".emptyDir", errors);
        }
        return names;
    }

    private static void Items(JsonObject source, string path, List<FieldError> errors)
    {
        foreach (var (i, item) in JsonFields.Objects(source["items"], path + ".items", errors))
        {
            var itemPath = $"{path}.items[{i}]";
            if (string.IsNullOrEmpty(JsonFields.String(item, "key", itemPath + ".key", errors)))
            {
                errors.Add(FieldErrors.Required(itemPath + ".key"));
            }
            var target = JsonFields.String(item, "path", itemPath + ".path", errors) ?? "";
            if (target.Length == 0)
            {
                errors.Add(FieldErrors.Required(itemPath + ".path"));
            }
            else
            {
                PathRules.NonReserved(target, itemPath + ".path", errors);
            }
        }
    }

    /// <summary>A required name that is a DNS label and unique among its siblings (containers, volumes).</summary>
    private static void UniqueLabel(JsonObject owner, string field, HashSet<string> seen, List<FieldError> errors)
    {
        var name = JsonFields.String(owner, "name", field, errors) ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(field));
            return;
        }
        errors.AddRange(DnsNames.Label(name).Select(m => FieldErrors.Invalid(field, name, m)));
        if (!seen.Add(name))
        {
            errors.Add(FieldErrors.Duplicate(field, name));
        }
    }

    private static void Container(JsonObject c, string path, HashSet<string> volumes, HashSet<string> names, List<FieldError> errors)
    {
        UniqueLabel(c, path + ".name", names, errors);
        if (string.IsNullOrEmpty(JsonFields.String(c, "image", path + ".image", errors)))
        {
            errors.Add(FieldErrors.Required(path + ".image"));
        }
        foreach (var field in new[] { "command", "args" })
        {
            Strings(c[field], $"{path}.{field}", errors);
        }
        JsonFields.String(c, "workingDir", path + ".workingDir", errors);
        foreach (var (i, env) in JsonFields.Objects(c["env"], path + ".env", errors))
        {
            if (string.IsNullOrEmpty(JsonFields.String(env, "name", $"{path}.env[{i}].name", errors)))
            {
                errors.Add(FieldErrors.Required($"{path}.env[{i}].name"));
            }
            JsonFields.String(env, "value", $"{path}.env[{i}].value", errors);
            JsonFields.Object(env["valueFrom"], $"{path}.env[{i}].valueFrom", errors);
        }
        if (JsonFields.Object(c["resources"], path + ".resources", errors) is { } resources)
        {
            Quantities(resources["limits"], path + ".resources.limits", errors);
            Quantities(resources["requests"], path + ".resources.requests", errors);
        }
        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, m) in JsonFields.Objects(c["volumeMounts"], path + ".volumeMounts", errors))
        {
            Mount(m, $"{path}.volumeMounts[{i}]", volumes, mountPaths, errors);
        }
    }

    private static void Mount(JsonObject m, string path, HashSet<string> volumes, HashSet<string> mountPaths, List<FieldError> errors)
    {
        var name = JsonFields.String(m, "name", path + ".name", errors) ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldErrors.Required(path + ".name"));
        }
        else if (!volumes.Contains(name))
        {
            errors.Add(FieldErrors.NotFound(path + ".name", name));
        }
        var mountPath = JsonFields.String(m, "mountPath", path + ".mountPath", errors) ?? "";
        if (mountPath.Length == 0)
        {
            errors.Add(FieldErrors.Required(path + ".mountPath"));
        }
        else
        {
            PathRules.Absolute(mountPath, path + ".mountPath", errors);
            if (!mountPaths.Add(mountPath))
            {
                errors.Add(FieldErrors.Invalid(path + ".mountPath", mountPath, "must be unique"));
            }
        }
        if (JsonFields.String(m, "subPath", path + ".subPath", errors) is { Length: > 0 } subPath)
        {
            PathRules.Descending(subPath, path + ".subPath", errors);
        }
        if (!JsonFields.IsBoolOrAbsent(m["readOnly"]))
        {
            errors.Add(FieldErrors.WrongType(path + ".readOnly", m["readOnly"], "a boolean"));
        }
    }

    /// <summary>Quantities are strings ("500m") or, as YAML and JSON clients may send them, plain numbers.</summary>
    private static void Quantities(JsonNode? node, string path, List<FieldError> errors)
    {
        if (JsonFields.Object(node, path, errors) is not { } map)
        {
            return;
        }
        foreach (var (k, v) in map)
        {
            if (v is not JsonValue q || q.GetValueKind() is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number))
            {
                errors.Add(FieldErrors.WrongType($"{path}[{k}]", v, "a quantity"));
            }
        }
    }

    private static void Strings(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null)
        {
            return;
        }
        if (node is not JsonArray list)
        {
            errors.Add(FieldErrors.WrongType(path, node, "a list of strings"));
            return;
        }
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonValue v || !v.TryGetValue<string>(out _))
            {
                errors.Add(FieldErrors.WrongType($"{path}[{i}]", list[i], "a string"));
            }
        }
    }
}
