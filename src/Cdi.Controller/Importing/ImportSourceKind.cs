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
        if (source.Blank is not null)
        {
            return dv.Spec.ContentType == "archive" ? "Cannot create empty disk with content type archive" : null;
        }
        var kind = source.S3 is not null ? "s3" : source.Registry is not null ? "registry" : source.Pvc is not null ? "pvc"
            : source.Upload is not null ? "upload" : source.ExtensionData?.Keys.FirstOrDefault() ?? "unknown";
        return $"{kind} sources are not supported yet";
    }
}
