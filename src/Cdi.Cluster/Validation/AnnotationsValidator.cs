using System.Text;
using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>Annotation keys are qualified names (case aside); keys and values together stay within 256 KiB.</summary>
internal static class AnnotationsValidator
{
    public const int TotalSizeLimit = 256 * 1024;

    public static void Validate(JsonNode? annotations, string path, List<FieldError> errors)
    {
        long total = 0;
        foreach (var (key, value) in JsonFields.StringMap(annotations, path, errors))
        {
            errors.AddRange(QualifiedNames.Name(key.ToLowerInvariant()).Select(m => FieldErrors.Invalid(path, key, m)));
            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }
        if (total > TotalSizeLimit)
        {
            errors.Add(FieldErrors.TooLong(path, TotalSizeLimit));
        }
    }
}
