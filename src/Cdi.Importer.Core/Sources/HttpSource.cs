using Cdi.Importer.Core.Network;

namespace Cdi.Importer.Core.Sources;

/// <summary>
/// An <c>http://</c> or <c>https://</c> URL: one GET whose body resumes after breaks (see <see cref="ResumingHttpStream"/>),
/// with redirects, retries and the SSRF guard as <see cref="HttpSourceOptions"/> say.
/// </summary>
public sealed class HttpSource(Uri url, HttpClient client, HttpSourceOptions options, TimeProvider time) : IImageSource
{
    private readonly HttpFetcher _fetcher = new(client, url, options, time);
    private ResumingHttpStream? _stream;

    public string Description => _fetcher.Description;

    /// <summary>How many times the current download resumed after a break.</summary>
    public int Resumes => _stream?.Resumes ?? 0;

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        _stream = await ResumingHttpStream.OpenAsync(_fetcher, cancellationToken).ConfigureAwait(false);
        return new SourceStream(_stream, _stream.AnnouncedLength, null);
    }

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        return ValueTask.CompletedTask;
    }
}
