using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// Each owner reference names its owner fully (apiVersion with a version, kind, name, uid), and at most one is the
/// controller: the garbage collector and the controllers act on these.
/// </summary>
internal static class OwnerReferencesValidator
{
    public static void Validate(JsonNode? references, string path, List<FieldError> errors)
    {
        string? controller = null;
        foreach (var (i, r) in JsonFields.Objects(references, path, errors))
        {
            var item = $"{path}[{i}]";
            var apiVersion = JsonFields.String(r, "apiVersion", item + ".apiVersion", errors) ?? "";
            var kind = JsonFields.String(r, "kind", item + ".kind", errors) ?? "";
            var name = JsonFields.String(r, "name", item + ".name", errors) ?? "";
            var uid = JsonFields.String(r, "uid", item + ".uid", errors) ?? "";
            if (Version(apiVersion).Length == 0)
            {
                errors.Add(FieldErrors.Invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
            }
            if (kind.Length == 0)
            {
                errors.Add(FieldErrors.Invalid(path + ".kind", kind, "kind must not be empty"));
            }
            if (name.Length == 0)
            {
                errors.Add(FieldErrors.Invalid(path + ".name", name, "name must not be empty"));
            }
            if (uid.Length == 0)
            {
                errors.Add(FieldErrors.Invalid(path + ".uid", uid, "uid must not be empty"));
            }
            foreach (var flag in new[] { "controller", "blockOwnerDeletion" })
            {
                if (!JsonFields.IsBoolOrAbsent(r[flag]))
                {
                    errors.Add(FieldErrors.WrongType($"{item}.{flag}", r[flag], "a boolean"));
                }
            }
            if (r["controller"] is JsonValue c && c.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                var current = kind + "/" + name;
                if (controller is null)
                {
                    controller = current;
                }
                else
                {
                    errors.Add(FieldErrors.Invalid(path, references,
                        $"Only one reference can have Controller set to true. Found \"true\" in references for {controller} and {current}"));
                }
            }
        }
    }

    // "v1" or "group/version"; anything else has no usable version.
    private static string Version(string apiVersion)
    {
        var parts = apiVersion.Split('/');
        return parts.Length switch
        {
            1 => parts[0],
            2 => parts[1],
            _ => "",
        };
    }
}
