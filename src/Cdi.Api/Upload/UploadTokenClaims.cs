using System.Text.Json.Serialization;

namespace Cdi.Api.Upload;

/// <summary>
/// The payload of an upload token, named as upstream's (<c>pkg/token</c>): registered claims (issuer, issued, not
/// before, expiry, in Unix seconds) plus what the token allows: an <c>Upload</c> into one claim of one namespace.
/// </summary>
public sealed record UploadTokenClaims
{
    public const string UploadOperation = "Upload";
    public const string ClaimsResource = "persistentvolumeclaims";

    /// <summary>Upstream's clone token, stamped by admission: the source claim may be cloned into <c>params</c>' target.</summary>
    public const string CloneOperation = "Clone";

    /// <summary>Ours: a clone source pod may stream into one target claim's upload server (upstream uses mTLS there).</summary>
    public const string CloneStreamOperation = "CloneStream";

    [JsonPropertyName("iss")] public string? Issuer { get; init; }
    [JsonPropertyName("iat")] public long? IssuedAt { get; init; }
    [JsonPropertyName("nbf")] public long? NotBefore { get; init; }
    [JsonPropertyName("exp")] public long? Expires { get; init; }
    [JsonPropertyName("operation")] public string? Operation { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("resource")] public UploadTokenResource? Resource { get; init; }

    /// <summary>Clone tokens' extra scope, as upstream's: <c>targetNamespace</c>, <c>targetName</c>, <c>uid</c>.</summary>
    [JsonPropertyName("params")] public Dictionary<string, string>? Params { get; init; }
}
