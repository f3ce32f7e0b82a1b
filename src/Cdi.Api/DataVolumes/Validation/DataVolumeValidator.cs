using System.Text.Json;

namespace Cdi.Api.DataVolumes.Validation;

/// <summary>
/// DataVolume admission as upstream's validating webhook decides it, as a pure function of the new object and, on
/// update, the old one: no cluster reads, so the local API server calls it in-process and a real cluster's
/// ValidatingWebhook can serve it unchanged. An empty list admits.
/// </summary>
public static class DataVolumeValidator
{
    /// <summary>Kubernetes' limit for object names (a DNS-1123 subdomain).</summary>
    public const int MaxNameLength = 253;

    public static IReadOnlyList<FieldError> Validate(DataVolume dv, DataVolume? old = null)
    {
        var errors = new List<FieldError>();
        if (dv.Metadata.Name is { Length: > MaxNameLength } name)
        {
            errors.Add(new("metadata.name", FieldErrorType.FieldValueTooLong, $"must be no more than {MaxNameLength} characters (is {name.Length})"));
            return errors;
        }
        if (old is not null)
        {
            // Spec is immutable (upstream); an unchanged spec is not re-judged, so objects stored before a rule existed
            // can still get finalizers removed, labels changed and status written.
            if (!SameSpec(dv.Spec, old.Spec) && !OnlyCheckpointsChanged(dv.Spec, old.Spec))
            {
                errors.Add(new("spec", FieldErrorType.FieldValueForbidden,
                    "a DataVolume's spec cannot be changed after creation (only checkpoints and finalCheckpoint of a multi-stage import can)"));
            }
            return errors;
        }
        DataVolumeStorageValidator.Validate(dv.Spec, errors);
        Unsupported(dv.Spec, errors);
        if (errors.Count == 0)
        {
            DataVolumeSourceValidator.Validate(dv.Spec, errors);
        }
        return errors;
    }

    /// <summary>
    /// Fields cdi cannot honor: refused with one line rather than stored and ignored. Checkpoints belong to multi-stage
    /// (vddk, imageio) imports, whose sources are kept as upstream's and reported unsupported by the controller.
    /// </summary>
    private static void Unsupported(DataVolumeSpec spec, List<FieldError> errors)
    {
        if (MultiStage(spec))
        {
            return;
        }
        foreach (var field in new[] { "checkpoints", "finalCheckpoint" })
        {
            if (spec.ExtensionData?.TryGetValue(field, out var value) == true && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False)
                && !(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0))
            {
                errors.Add(new($"spec.{field}", FieldErrorType.FieldValueNotSupported,
                    $"spec.{field} is not supported: only multi-stage (vddk, imageio) sources take checkpoints"));
            }
        }
    }

    private static bool SameSpec(DataVolumeSpec a, DataVolumeSpec b) => JsonElement.DeepEquals(ToJson(a), ToJson(b));

    /// <summary>Upstream lets a multi-stage (vddk, imageio) import add checkpoints and mark the final one, nothing else.</summary>
    private static bool OnlyCheckpointsChanged(DataVolumeSpec next, DataVolumeSpec old)
    {
        return MultiStage(next) && SameSpec(WithoutCheckpoints(next), WithoutCheckpoints(old));
    }

    private static bool MultiStage(DataVolumeSpec spec) =>
        spec.Source?.ExtensionData is { } sources && (sources.ContainsKey("vddk") || sources.ContainsKey("imageio"));

    private static DataVolumeSpec WithoutCheckpoints(DataVolumeSpec spec)
    {
        var rest = spec.ExtensionData?.Where(e => e.Key is not ("checkpoints" or "finalCheckpoint")).ToDictionary(e => e.Key, e => e.Value);
        return spec with { ExtensionData = rest is { Count: > 0 } ? rest : null };
    }

    private static JsonElement ToJson(DataVolumeSpec spec) => JsonSerializer.SerializeToElement(spec, ApiJsonContext.Default.DataVolumeSpec);
}
