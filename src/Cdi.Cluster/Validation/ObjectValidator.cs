using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// The generic validation every kind gets: metadata by the kind's name rule, then the kind's own field checks.
/// Status writes are not re-validated: they cannot change what these rules look at.
/// </summary>
internal sealed class ObjectValidator : IAdmissionValidator
{
    public IReadOnlyList<FieldError> Validate(AdmissionRequest request)
    {
        if (string.Equals(request.Subresource, "status", StringComparison.Ordinal))
        {
            return [];
        }
        var rule = KindRules.For(request.Definition);
        var errors = new List<FieldError>();
        ObjectMetaValidator.Validate(request.Object, rule.Names, request.Definition.Namespaced, request.Operation == AdmissionOperation.Create, errors);
        foreach (var check in rule.Fields)
        {
            check(request.Object, errors);
        }
        return errors;
    }
}
