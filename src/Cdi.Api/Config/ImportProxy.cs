using System.Text.Json.Serialization;

namespace Cdi.Api.Config;

/// <summary>CDIConfig <c>spec.importProxy</c>: the proxy importer pods use for their sources (upstream's field names and casing).</summary>
public sealed record ImportProxy
{
    [JsonPropertyName("HTTPProxy")]
    public string? HttpProxy { get; set; }

    [JsonPropertyName("HTTPSProxy")]
    public string? HttpsProxy { get; set; }

    /// <summary>Comma-separated hosts, domains and CIDRs reached directly.</summary>
    public string? NoProxy { get; set; }

    /// <summary>A ConfigMap in cdi's namespace with the proxy's CA bundle (not supported by cdi: refused at admission).</summary>
    [JsonPropertyName("trustedCAProxy")]
    public string? TrustedCaProxy { get; set; }
}
