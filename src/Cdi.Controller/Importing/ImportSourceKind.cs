using Cdi.Api.DataVolumes;

namespace Cdi.Controller.Importing;

/// <summary>Which sources the import path serves today, and the reason for the others.</summary>
public static class ImportSourceKind
{
    public const string BlankUrl = "blank:";

    /// <summary>Null when the DataVolume's source can be imported; otherwise why not, in one line.</summary>
    public static string? Unsupported(DataVolume dv)
    {
        var source = dv.Spec.Source;
        if (source is null)
        {
            return dv.Spec.SourceRef is null ? "DataVolume has no source" : "sourceRef (DataSource) sources are not supported yet";
        }
        if (source.Http is { } http)
        {
            return Uri.TryCreate(http.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                ? null : $"http source url \"{http.Url}\" is not an http(s) URL";
        }
        if (source.Registry is { } registry)
        {
            return UnsupportedRegistry(registry, dv.Spec.ContentType);
        }
        if (source.S3 is { } s3)
        {
            return S3Url.TryParse(s3.Url) is null ? $"s3 source url \"{s3.Url}\" must be an http(s) endpoint URL with /BUCKET/KEY in its path" : null;
        }
        if (source.Blank is not null)
        {
            return dv.Spec.ContentType == "archive" ? "Cannot create empty disk with content type archive" : null;
        }
        if (source.Upload is not null)
        {
            return null;
        }
        if (source.Pvc is { } pvc)
        {
            return dv.Spec.ContentType == "archive" ? "a clone of archive content is not supported yet: clones copy disk images"
                : string.IsNullOrEmpty(pvc.Name) ? "pvc source names no claim" : null;
        }
        var kind = source.Pvc is not null ? "pvc" : source.ExtensionData?.Keys.FirstOrDefault() ?? "unknown";
        return $"{kind} sources are not supported yet";
    }

    private static string? UnsupportedRegistry(RegistryDataSource registry, string? contentType)
    {
        if (contentType == "archive")
        {
            return "registry sources support content type kubevirt only";
        }
        if (registry.ImageStream is not null)
        {
            return "registry imageStream sources are not supported yet";
        }
        if (registry.PullMethod is { } method && method != "pod")
        {
            return $"registry pullMethod \"{method}\" is not supported yet: use pod";
        }
        return registry.Url is { } url && url.StartsWith("docker://", StringComparison.Ordinal) && url.Length > "docker://".Length
            ? null
            : registry.Url?.StartsWith("oci-archive://", StringComparison.Ordinal) == true
                ? "registry oci-archive:// sources are not supported yet"
                : $"registry source url \"{registry.Url}\" must be docker://host[:port]/repo[:tag|@digest]";
    }
}
