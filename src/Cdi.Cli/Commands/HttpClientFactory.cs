using Cdi.Importer.Core.Network;

namespace Cdi.Cli.Commands;

/// <summary>The one HTTP client configuration the importer uses (see <see cref="ImportHttpClient"/>).</summary>
internal static class HttpClientFactory
{
    public static HttpClient Create() => ImportHttpClient.Create(HttpSourceOptions.Default);

    public static HttpClient Create(HttpSourceOptions options) => ImportHttpClient.Create(options);
}
