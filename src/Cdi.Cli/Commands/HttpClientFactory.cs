using System.Net;

namespace Cdi.Cli.Commands;

/// <summary>The one HTTP client configuration the importer uses: no transparent decompression (we detect codecs ourselves), no total timeout.</summary>
internal static class HttpClientFactory
{
    public static HttpClient Create() => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 10,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
