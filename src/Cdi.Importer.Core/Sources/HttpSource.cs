using System.Net;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources;

/// <summary>An <c>http://</c> or <c>https://</c> URL, read with one GET.</summary>
public sealed class HttpSource(Uri url, HttpClient client) : IImageSource
{
    private HttpResponseMessage? _response;

    public string Description => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd("cdi-importer/1.0");
        try
        {
            _response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"cannot reach {Description}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"no answer from {Description}", e);
        }
        var status = _response.StatusCode;
        if (status != HttpStatusCode.OK)
        {
            var code = (int)status;
            var reason = status is HttpStatusCode.NotFound or HttpStatusCode.Gone ? ImportFailureReason.SourceNotFound
                : code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests ? ImportFailureReason.SourceUnavailable
                : ImportFailureReason.SourceHttpError;
            ImportException.Throw(reason, $"{Description} answered HTTP {code} {_response.ReasonPhrase}");
        }
        var length = _response.Content.Headers.ContentLength;
        Stream body = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (length is { } announced)
        {
            body = new LengthCheckedStream(body, announced, $"download of {Description}");
        }
        var response = _response;
        Func<CancellationToken, ValueTask<IRandomAccessReader>>? ranged = HttpRangeReader.CanServe(response)
            ? _ => ValueTask.FromResult<IRandomAccessReader>(new HttpRangeReader(client, response.RequestMessage?.RequestUri ?? url,
                response.Content.Headers.ContentLength!.Value, response.Headers.ETag is { IsWeak: false } tag ? tag : null,
                response.Content.Headers.LastModified))
            : null;
        return new SourceStream(body, length, null, ranged);
    }

    public ValueTask DisposeAsync()
    {
        _response?.Dispose();
        return ValueTask.CompletedTask;
    }
}
