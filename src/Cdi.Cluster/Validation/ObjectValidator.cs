using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The generic validation every kind gets: metadata by the kind's name rule, then the kind's own field checks.
/// Status writes are checked for shape only: they cannot change what the other rules look at.
/// </summary>
internal sealed class ObjectValidator : IAdmissionValidator
{
    public AdmissionStage Stage => AdmissionStage.ObjectValidation;

    public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
    {
        var errors = new List<FieldError>();
        if (!request.Definition.IsCustom)
        {
            // Custom resources' shapes are their schema's business (SchemaValidator).
            TopLevelShapeValidator.Validate(request.Object, errors);
        }
        if (string.Equals(request.Subresource, "status", StringComparison.Ordinal))
        {
            return errors;
        }
        var rule = KindRules.For(request.Definition);
        ObjectMetaValidator.Validate(request.Object, rule.Names, request.Definition.Namespaced, request.Operation == AdmissionOperation.Create, errors);
        foreach (var check in rule.Fields)
        {
            check(request.Object, errors);
        }
        return errors;
    }
}
