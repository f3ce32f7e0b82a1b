namespace Cdi.Api.Upload;

/// <summary>
/// The upload protocol's paths and headers. Paths are upstream's (<c>pkg/common</c>): the proxy and the upload server
/// serve the same ones. The offset and checksum headers are cdi's (upstream uploads neither resume nor verify).
/// </summary>
public static class UploadPaths
{
    public static readonly string[] Sync = ["/v1beta1/upload", "/v1alpha1/upload"];
    public static readonly string[] Async = ["/v1beta1/upload-async", "/v1alpha1/upload-async"];
    public static readonly string[] FormSync = ["/v1beta1/upload-form", "/v1alpha1/upload-form"];
    public static readonly string[] FormAsync = ["/v1beta1/upload-form-async", "/v1alpha1/upload-form-async"];

    /// <summary>Where upstream's proxy sends uploads into archive claims; this server knows its content type and takes them as the plain paths.</summary>
    public static readonly string[] Archive = ["/v1beta1/upload-archive", "/v1beta1/upload-archive-async"];

    /// <summary>Upstream's content-type header (clone streams); cdi's upload server refuses the clone kinds for now.</summary>
    public const string ContentTypeHeader = "x-cdi-content-type";

    /// <summary>Response header: bytes of the current upload the server has accepted, in order (where a resume continues).</summary>
    public const string OffsetHeader = "X-Cdi-Upload-Offset";

    /// <summary>Response header: the current upload's announced total, when known.</summary>
    public const string LengthHeader = "X-Cdi-Upload-Length";

    /// <summary>Request header: <c>ALGO:HEX</c> (md5, sha1, sha256, sha512) of the bytes as sent; checked before the claim is complete.</summary>
    public const string ChecksumHeader = "X-Cdi-Checksum";

    public static UploadMode? Mode(string path)
    {
        path = path.TrimEnd('/');
        return Sync.Contains(path) || path == Archive[0] ? UploadMode.Sync
            : Async.Contains(path) || path == Archive[1] ? UploadMode.Async
            : FormSync.Contains(path) ? UploadMode.FormSync
            : FormAsync.Contains(path) ? UploadMode.FormAsync
            : null;
    }
}
