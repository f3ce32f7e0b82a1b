using Cdi.Api.DataVolumes.Validation;

namespace Cdi.Api.Config;

/// <summary>CDIConfig admission: fields cdi cannot honor are refused with one line instead of being stored and ignored.</summary>
public static class CdiConfigValidator
{
    public static IReadOnlyList<FieldError> Validate(CdiConfig config)
    {
        var errors = new List<FieldError>();
        if (!string.IsNullOrWhiteSpace(config.Spec?.ImportProxy?.TrustedCaProxy))
        {
            errors.Add(new("spec.importProxy.trustedCAProxy", FieldErrorType.FieldValueNotSupported,
                "spec.importProxy.trustedCAProxy is not supported: cdi does not copy a proxy CA bundle into importer pods; use a proxy whose certificate the importer trusts, or an http:// proxy URL"));
        }
        return errors;
    }
}
