using System.Net;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>
/// An <c>http://</c> or <c>https://</c> URL: one GET whose body resumes after breaks (<see cref="ResumingHttpStream"/>),
/// or, when the server supports Range, a download over several connections (<see cref="ParallelRangeStream"/>); with
/// redirects, retries and the SSRF guard as <see cref="HttpSourceOptions"/> say.
/// </summary>
public sealed class HttpSource(Uri url, HttpClient client, HttpSourceOptions options, TimeProvider time) : IImageSource
{
    private readonly HttpFetcher _fetcher = new(client, url, options, time);
    private Stream? _stream;

    public string Description => _fetcher.Description;

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        var response = await _fetcher.GetAsync(0, null, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                ImportException.Throw(ImportFailureReason.SourceHttpError,
                    $"{Description} answered HTTP {(int)response.StatusCode} to a request for the whole resource");
            }
            var length = response.Content.Headers.ContentLength;
            var validator = ResumingHttpStream.Validator(response);
            if (options.ParallelConnections > 1 && length > 2L * options.SegmentSize && validator is not null
                && response.Headers.AcceptRanges.Contains("bytes"))
            {
                _stream = new ParallelRangeStream(_fetcher, response, validator, length.Value);
            }
            else
            {
                _stream = await ResumingHttpStream.CreateAsync(_fetcher, response, cancellationToken).ConfigureAwait(false);
            }
            // Seekable formats can then be converted from ranges of this same version, without a scratch copy.
            Func<CancellationToken, ValueTask<IRandomAccessReader>>? ranged = validator is not null && length is > 0
                && response.Headers.AcceptRanges.Contains("bytes")
                ? _ => ValueTask.FromResult<IRandomAccessReader>(new HttpRangeReader(_fetcher, length.Value, validator))
                : null;
            return new SourceStream(_stream, length, null, ranged);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        return ValueTask.CompletedTask;
    }
}
