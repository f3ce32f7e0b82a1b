using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources.Push;
using Cdi.Importer.Core.Sources.Registry;
using Cdi.Importer.Core.Sources.S3;

namespace Cdi.Importer.Core.Sources;

/// <summary>Turns the <c>--source</c> text into a source. Registry and S3 schemes plug in here.</summary>
/// <param name="httpClient">Built by <see cref="ImportHttpClient.Create"/> from the same <paramref name="httpOptions"/>.</param>
/// <param name="remote">Trust, credentials, insecure hosts and mirrors for registry and S3 sources.</param>
/// <param name="push">What <c>upload:</c> means: the upload being received (an upload server's), or none.</param>
public sealed class ImageSourceFactory(HttpClient httpClient, HttpSourceOptions? httpOptions = null, TimeProvider? time = null,
    RemoteSourceOptions? remote = null, PushSource? push = null)
{
    private readonly HttpSourceOptions _httpOptions = httpOptions ?? HttpSourceOptions.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly RemoteSourceOptions _remote = (remote ?? RemoteSourceOptions.None) with { Network = httpOptions ?? HttpSourceOptions.Default };

    public IImageSource Create(string source)
    {
        if (source == PushSource.Scheme)
        {
            return push ?? throw new ImportException(ImportFailureReason.InvalidArgument, "upload: sources are read only by an upload server");
        }
        if (source.StartsWith("docker://", StringComparison.Ordinal))
        {
            return new RegistrySource(source, _remote, DecoderLimits.Default);
        }
        if (source.StartsWith(OciArchiveSource.Scheme, StringComparison.Ordinal))
        {
            return new OciArchiveSource(source, _remote, DecoderLimits.Default);
        }
        if (source.StartsWith("s3://", StringComparison.Ordinal))
        {
            return new S3Source(S3Location.Parse(source, _remote.S3Endpoint), _remote);
        }
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
                        $"unsupported source scheme \"{uri.Scheme}://\": use http://, https://, docker://, oci-archive://, s3://, file:// or a local path");
                    break;
            }
        }
        return new FileSource(source);
    }
}
