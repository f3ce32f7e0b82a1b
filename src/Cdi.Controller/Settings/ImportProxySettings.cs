using Cdi.Api.Config;

namespace Cdi.Controller.Settings;

/// <summary>
/// CDIConfig <c>importProxy</c> as importers use it: the HTTPS proxy for https (and registry) sources, the HTTP proxy
/// for plain http ones, as the <c>https_proxy</c>/<c>http_proxy</c> pair upstream sets in importer pods does.
/// </summary>
public sealed record ImportProxySettings(string? HttpProxy, string? HttpsProxy, string? NoProxy)
{
    public static ImportProxySettings? From(ImportProxy? proxy)
    {
        var http = Clean(proxy?.HttpProxy);
        var https = Clean(proxy?.HttpsProxy);
        return http is null && https is null ? null : new ImportProxySettings(http, https, Clean(proxy?.NoProxy));
    }

    /// <summary>The proxy for a source URL: plain <c>http://</c> uses the HTTP proxy, everything else (https, docker, s3 endpoints) the HTTPS one.</summary>
    public string? For(string? sourceUrl) =>
        sourceUrl is not null && sourceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? HttpProxy : HttpsProxy;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
