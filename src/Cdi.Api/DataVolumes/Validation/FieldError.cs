namespace Cdi.Api.DataVolumes.Validation;

/// <summary>One refusal: the field path (<c>spec.source.http.url</c>), the cause type and a one-line message.</summary>
public sealed record FieldError(string Field, FieldErrorType Type, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
