using System.Text.Json;

namespace Cdi.Api.DataVolumes.Validation;

/// <summary>
/// <c>spec.source</c> / <c>spec.sourceRef</c>: exactly one of them, exactly one kind of source, the fields each kind
/// needs, URLs a worker can use, and a contentType that fits the source.
/// </summary>
internal static class DataVolumeSourceValidator
{
    /// <summary>Upstream's source kinds; cdi imports some and reports the rest as unsupported, but none is a typo.</summary>
    private static readonly string[] UpstreamKinds = ["http", "s3", "gcs", "registry", "pvc", "upload", "blank", "imageio", "vddk", "snapshot"];

    public static void Validate(DataVolumeSpec spec, List<FieldError> errors)
    {
        var hasRef = spec.SourceRef is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (spec.Source is null == !hasRef)
        {
            errors.Add(new("spec.source", hasRef ? FieldErrorType.FieldValueForbidden : FieldErrorType.FieldValueRequired,
                hasRef ? "spec.source and spec.sourceRef are both set: use one" : "one of spec.source or spec.sourceRef is required"));
            return;
        }
        if (hasRef)
        {
            SourceRef(spec.SourceRef!.Value, errors);
            return;
        }
        var source = spec.Source!;
        var kinds = Kinds(source);
        if (kinds.FirstOrDefault(k => !UpstreamKinds.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            errors.Add(new($"spec.source.{unknown}", FieldErrorType.FieldValueNotSupported,
                $"Unsupported source \"{unknown}\": supported sources: {string.Join(", ", UpstreamKinds)}"));
            return;
        }
        if (kinds.Count != 1)
        {
            errors.Add(new("spec.source", kinds.Count == 0 ? FieldErrorType.FieldValueRequired : FieldErrorType.FieldValueForbidden,
                kinds.Count == 0 ? "a source is required (http, s3, registry, pvc, upload, blank, …)" : $"exactly one source is allowed, found {string.Join(", ", kinds)}"));
            return;
        }
        ContentType(spec.ContentType, kinds[0], errors);
        if (source.Http is { } http)
        {
            SourceUrl(http.Url, "spec.source.http.url", ["http", "https"], errors);
            Checksum(http.Checksum, "spec.source.http.checksum", errors);
        }
        else if (source.S3 is { } s3)
        {
            SourceUrl(s3.Url, "spec.source.s3.url", ["s3", "http", "https"], errors);
            Checksum(s3.Checksum, "spec.source.s3.checksum", errors);
        }
        else if (source.Registry is { } registry)
        {
            Registry(registry, errors);
            if (!string.IsNullOrEmpty(registry.Checksum))
            {
                // Upstream has no such field; silently ignoring it would let a user believe the disk was checked.
                errors.Add(new("spec.source.registry.checksum", FieldErrorType.FieldValueNotSupported,
                    "spec.source.registry.checksum is not supported: registry images are verified by their manifest and layer digests; pin one with url docker://host/repo@sha256:<digest>"));
            }
        }
        else if (source.Pvc is { } pvc)
        {
            if (string.IsNullOrEmpty(pvc.Namespace))
            {
                errors.Add(new("spec.source.pvc.namespace", FieldErrorType.FieldValueRequired, "the source PVC's namespace is required"));
            }
            if (string.IsNullOrEmpty(pvc.Name))
            {
                errors.Add(new("spec.source.pvc.name", FieldErrorType.FieldValueRequired, "the source PVC's name is required"));
            }
        }
    }

    private static List<string> Kinds(DataVolumeSource s)
    {
        var kinds = new (string Kind, bool Set)[]
        {
            ("http", s.Http is not null), ("s3", s.S3 is not null), ("registry", s.Registry is not null), ("pvc", s.Pvc is not null),
            ("upload", s.Upload is { ValueKind: not JsonValueKind.Null }), ("blank", s.Blank is { ValueKind: not JsonValueKind.Null }),
        }.Where(k => k.Set).Select(k => k.Kind).ToList();
        kinds.AddRange((s.ExtensionData ?? []).Where(e => e.Value.ValueKind != JsonValueKind.Null).Select(e => e.Key).Order(StringComparer.Ordinal));
        return kinds;
    }

    private static void ContentType(string? contentType, string kind, List<FieldError> errors)
    {
        if (contentType is not (null or "" or "kubevirt" or "archive"))
        {
            errors.Add(new("spec.contentType", FieldErrorType.FieldValueNotSupported, $"Unsupported value: \"{contentType}\": supported values: \"kubevirt\", \"archive\""));
        }
        else if (contentType == "archive" && kind is not ("http" or "upload"))
        {
            errors.Add(new("spec.contentType", FieldErrorType.FieldValueInvalid, $"contentType archive needs an http or upload source, not {kind}"));
        }
    }

    private static void SourceUrl(string? url, string field, string[] schemes, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(url))
        {
            errors.Add(new(field, FieldErrorType.FieldValueRequired, "a source URL is required"));
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || url.Any(char.IsWhiteSpace))
        {
            errors.Add(new(field, FieldErrorType.FieldValueInvalid, $"Invalid value: \"{url}\": not an absolute URL with a host"));
        }
        else if (!schemes.Contains(uri.Scheme, StringComparer.Ordinal))
        {
            errors.Add(new(field, FieldErrorType.FieldValueInvalid, $"Invalid value: \"{url}\": the scheme must be {string.Join(" or ", schemes.Select(s => s + "://"))}"));
        }
    }

    private static void Registry(RegistryDataSource registry, List<FieldError> errors)
    {
        var hasUrl = !string.IsNullOrEmpty(registry.Url);
        if (hasUrl == !string.IsNullOrEmpty(registry.ImageStream))
        {
            errors.Add(new("spec.source.registry", FieldErrorType.FieldValueInvalid, "exactly one of url or imageStream is required"));
            return;
        }
        if (hasUrl)
        {
            var url = registry.Url!;
            var scheme = url.StartsWith("docker://", StringComparison.Ordinal) ? "docker://"
                : url.StartsWith("oci-archive://", StringComparison.Ordinal) ? "oci-archive://" : null;
            if (scheme is null)
            {
                errors.Add(new("spec.source.registry.url", FieldErrorType.FieldValueInvalid, $"Invalid value: \"{url}\": the scheme must be docker:// or oci-archive://"));
            }
            else if (url.Length == scheme.Length || url.Any(char.IsWhiteSpace))
            {
                errors.Add(new("spec.source.registry.url", FieldErrorType.FieldValueInvalid, $"Invalid value: \"{url}\": no image reference after {scheme}"));
            }
        }
        if (registry.PullMethod is not (null or "" or "pod" or "node"))
        {
            errors.Add(new("spec.source.registry.pullMethod", FieldErrorType.FieldValueNotSupported, $"Unsupported value: \"{registry.PullMethod}\": supported values: \"pod\", \"node\""));
        }
    }

    private static void Checksum(string? checksum, string field, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(checksum))
        {
            return;
        }
        var colon = checksum.IndexOf(':', StringComparison.Ordinal);
        var algorithm = colon < 0 ? checksum : checksum[..colon];
        var hex = colon < 0 ? "" : checksum[(colon + 1)..];
        int? length = algorithm switch { "md5" => 32, "sha1" => 40, "sha256" => 64, "sha512" => 128, _ => null };
        if (length is null)
        {
            errors.Add(new(field, FieldErrorType.FieldValueInvalid, $"Invalid value: \"{checksum}\": use ALGO:HEX with md5, sha1, sha256 or sha512"));
        }
        else if (hex.Length != length || !hex.All(char.IsAsciiHexDigit))
        {
            errors.Add(new(field, FieldErrorType.FieldValueInvalid, $"Invalid value: \"{checksum}\": a {algorithm} checksum is {length} hex digits"));
        }
    }

    private static void SourceRef(JsonElement reference, List<FieldError> errors)
    {
        if (reference.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("spec.sourceRef", FieldErrorType.FieldValueInvalid, "sourceRef must be an object {kind, name, namespace?}"));
            return;
        }
        var kind = Text(reference, "kind");
        if (kind != "DataSource")
        {
            errors.Add(new("spec.sourceRef.kind", kind is null ? FieldErrorType.FieldValueRequired : FieldErrorType.FieldValueNotSupported,
                kind is null ? "sourceRef kind is required (DataSource)" : $"Unsupported value: \"{kind}\": only DataSource is supported"));
        }
        if (string.IsNullOrEmpty(Text(reference, "name")))
        {
            errors.Add(new("spec.sourceRef.name", FieldErrorType.FieldValueRequired, "sourceRef name is required"));
        }
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
