using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>Turns the <c>--source</c> text into a source. Registry and S3 schemes plug in here.</summary>
/// <param name="httpClient">Built by <see cref="ImportHttpClient.Create"/> from the same <paramref name="httpOptions"/>.</param>
public sealed class ImageSourceFactory(HttpClient httpClient, HttpSourceOptions? httpOptions = null, TimeProvider? time = null)
{
    private readonly HttpSourceOptions _httpOptions = httpOptions ?? HttpSourceOptions.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IImageSource Create(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1)
        {
            switch (uri.Scheme)
            {
                case "http":
                case "https":
                    return new HttpSource(uri, httpClient, _httpOptions, _time);
                case "file":
                    return new FileSource(uri.LocalPath);
                default:
                    ImportException.Throw(ImportFailureReason.InvalidArgument,
                        $"unsupported source scheme \"{uri.Scheme}://\": use http://, https://, file:// or a local path");
                    break;
            }
        }
        return new FileSource(source);
    }
}
