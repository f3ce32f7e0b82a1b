using System.Text.Json.Nodes;
using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>Label keys are qualified names, values at most 63 characters of the label alphabet (errors name <c>metadata.labels</c>, as Kubernetes' do).</summary>
internal static class LabelsValidator
{
    public static void Validate(JsonNode? labels, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in JsonFields.StringMap(labels, path, errors))
        {
            errors.AddRange(QualifiedNames.Name(key).Select(m => FieldErrors.Invalid(path, key, m)));
            errors.AddRange(QualifiedNames.LabelValue(value).Select(m => FieldErrors.Invalid(path, value, m)));
        }
    }
}
