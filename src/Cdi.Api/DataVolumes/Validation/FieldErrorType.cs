namespace Cdi.Api.DataVolumes.Validation;

/// <summary>Kubernetes' <c>StatusCause</c> types that DataVolume admission uses (the names go on the wire as they are).</summary>
public enum FieldErrorType
{
    FieldValueRequired,
    FieldValueInvalid,
    FieldValueNotSupported,
    FieldValueForbidden,
    FieldValueTooLong,
}
