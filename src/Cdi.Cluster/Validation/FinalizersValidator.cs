using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>Finalizers are qualified names; "orphan" and "foregroundDeletion" contradict each other.</summary>
internal static class FinalizersValidator
{
    private const string Orphan = "orphan";
    private const string Foreground = "foregroundDeletion";

    public static void Validate(JsonNode? finalizers, string path, List<FieldError> errors)
    {
        if (finalizers is null)
        {
            return;
        }
        if (finalizers is not JsonArray list)
        {
            errors.Add(FieldErrors.WrongType(path, finalizers, "a list of strings"));
            return;
        }
        var names = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonValue v && v.TryGetValue<string>(out var name))
            {
                names.Add(name);
                errors.AddRange(QualifiedNames.Name(name).Select(m => FieldErrors.Invalid(path, name, m)));
            }
            else
            {
                errors.Add(FieldErrors.WrongType($"{path}[{i}]", list[i], "a string"));
            }
        }
        if (names.Contains(Orphan) && names.Contains(Foreground))
        {
            errors.Add(FieldErrors.Invalid(path, finalizers, $"finalizer {Orphan} and {Foreground} cannot be both set"));
        }
    }
}
