using Cdi.Kube.Models;

namespace Cdi.Api.DataVolumes.Validation;

/// <summary><c>spec.pvc</c> / <c>spec.storage</c>: exactly one, access modes Kubernetes knows, and a positive size in quantity grammar.</summary>
internal static class DataVolumeStorageValidator
{
    private static readonly string[] AccessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
    /// <summary>Upstream's: FromStorageProfile asks cdi to take the volume mode from the class's StorageProfile.</summary>
    private static readonly string[] VolumeModes = ["Filesystem", "Block", "FromStorageProfile"];

    public static void Validate(DataVolumeSpec spec, List<FieldError> errors)
    {
        if (spec.Pvc is null && spec.Storage is null)
        {
            errors.Add(new("spec.storage", FieldErrorType.FieldValueRequired, "one of spec.storage or spec.pvc is required"));
            return;
        }
        if (spec.Pvc is not null && spec.Storage is not null)
        {
            errors.Add(new("spec.pvc", FieldErrorType.FieldValueForbidden, "spec.pvc and spec.storage are both set: use one"));
            return;
        }
        var (claim, path) = spec.Pvc is { } pvc ? (pvc, "spec.pvc") : (spec.Storage!, "spec.storage");
        // A clone may leave the size to the source (upstream's sizeless clone), but only through spec.storage.
        var sizeMayBeInferred = spec.Pvc is null && (spec.SourceRef is not null || spec.Source?.Pvc is not null || Has(spec.Source, "snapshot"));
        CheckQuantities(claim.Resources?.Requests, $"{path}.resources.requests", errors);
        CheckQuantities(claim.Resources?.Limits, $"{path}.resources.limits", errors);
        if (errors.Count > 0)
        {
            return;
        }
        if (claim.Resources?.Requests?.GetValueOrDefault("storage") is not { } size)
        {
            if (!sizeMayBeInferred)
            {
                errors.Add(new($"{path}.resources.requests[storage]", FieldErrorType.FieldValueRequired,
                    "a size is required (for example 10Gi); only a clone through spec.storage may take it from its source"));
            }
        }
        else if (Quantity.Parse(size).Sign <= 0)
        {
            errors.Add(new($"{path}.resources.requests[storage]", FieldErrorType.FieldValueInvalid, $"Invalid value: \"{size}\": must be greater than zero"));
        }
        if (spec.Pvc is not null && claim.AccessModes is not { Count: > 0 })
        {
            errors.Add(new("spec.pvc.accessModes", FieldErrorType.FieldValueRequired, "at least 1 access mode is required (spec.storage may leave it to the StorageProfile)"));
        }
        foreach (var (mode, i) in (claim.AccessModes ?? []).Select((m, i) => (m, i)))
        {
            if (!AccessModes.Contains(mode, StringComparer.Ordinal))
            {
                errors.Add(new($"{path}.accessModes[{i}]", FieldErrorType.FieldValueNotSupported,
                    $"Unsupported value: \"{mode}\": supported values: {string.Join(", ", AccessModes.Select(m => $"\"{m}\""))}"));
            }
        }
        if (claim.VolumeMode is { } volumeMode && !VolumeModes.Contains(volumeMode, StringComparer.Ordinal))
        {
            errors.Add(new($"{path}.volumeMode", FieldErrorType.FieldValueNotSupported, $"Unsupported value: \"{volumeMode}\": supported values: {string.Join(", ", VolumeModes.Select(m => $"\"{m}\""))}"));
        }
    }

    private static bool Has(DataVolumeSource? source, string kind) => source?.ExtensionData?.ContainsKey(kind) == true;

    private static void CheckQuantities(Dictionary<string, string>? map, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in map ?? [])
        {
            if (!Quantity.TryParse(value, out _))
            {
                errors.Add(new($"{path}[{key}]", FieldErrorType.FieldValueInvalid, $"Invalid value: \"{value}\": {Quantity.Syntax}"));
            }
        }
    }
}
