using System.Net;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources.S3;

/// <summary>
/// An S3 object, SigV4-signed with the secret's keys or anonymous without them. A wrong key or a missing object fails
/// at once with the store's own error code. The body then behaves like an HTTP source's: it resumes after breaks,
/// downloads over several connections, and serves ranged reads (a qcow2 converts without scratch), every request signed.
/// </summary>
public sealed class S3Source(S3Location location, RemoteSourceOptions options) : IImageSource
{
    private readonly SourceTrust _trust = new(options.CertDirectory, options.Network);
    private HttpResponseMessage? _response;
    private Stream? _stream;

    public string Description => location.ToString();

    public async ValueTask<SourceStream> OpenAsync(CancellationToken cancellationToken)
    {
        var credentials = SourceCredentials.FromDirectory(options.SecretDirectory);
        var retry = (options.Network ?? Network.HttpSourceOptions.Default).Retry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _response = await SendOnceAsync(credentials, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ImportException e) when (attempt < retry.MaxAttempts
                && e.Reason is ImportFailureReason.SourceUnavailable or ImportFailureReason.SourceRateLimited)
            {
                // Network trouble and throttling pass; a wrong key or a missing object does not, and fails at once.
                await Task.Delay(retry.Backoff(attempt, Random.Shared.NextDouble()), options.Clock, cancellationToken).ConfigureAwait(false);
            }
        }
        var network = (options.Network ?? Network.HttpSourceOptions.Default) with
        {
            Credentials = null,
            Headers = [],
            SignRequest = credentials is null ? null : r => new SigV4Signer(credentials, location.Region).Sign(r, options.Clock.GetUtcNow()),
        };
        var fetcher = new Network.HttpFetcher(_trust.Client(insecure: false), location.ObjectUrl, network, options.Clock);
        var response = _response;
        _response = null;
        var length = response.Content.Headers.ContentLength;
        var validator = Network.ResumingHttpStream.Validator(response);
        var ranges = validator is not null && length is > 0 && response.Headers.AcceptRanges.Contains("bytes");
        _stream = ranges && network.ParallelConnections > 1 && length > 2L * network.SegmentSize
            ? new Network.ParallelRangeStream(fetcher, response, validator!, length!.Value)
            : await Network.ResumingHttpStream.CreateAsync(fetcher, response, cancellationToken).ConfigureAwait(false);
        Func<CancellationToken, ValueTask<IRandomAccessReader>>? ranged = ranges
            ? _ => ValueTask.FromResult<IRandomAccessReader>(new HttpRangeReader(fetcher, length!.Value, validator!))
            : null;
        return new SourceStream(_stream, length, null, ranged);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(SourceCredentials? credentials, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, location.ObjectUrl);
        request.Headers.UserAgent.ParseAdd("cdi-importer/1.0");
        if (credentials is not null)
        {
            new SigV4Signer(credentials, location.Region).Sign(request, options.Clock.GetUtcNow());
        }
        HttpResponseMessage response;
        try
        {
            response = await _trust.Client(insecure: false).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (Network.TransportFailure.Final(e, (detail, certificate) => certificate
            ? $"TLS certificate of {location.ObjectUrl.Host} is not trusted: {detail} (give its CA with certConfigMap)"
            : $"TLS handshake with {location.ObjectUrl.Host} failed: {detail}") is { } final)
        {
            throw final;
        }
        catch (HttpRequestException e)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"cannot reach {Description}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"no answer from {Description}", e);
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                var body = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                ThrowFor((int)response.StatusCode, S3ErrorBody.Code(body), credentials is not null);
            }
        }
        return response;
    }

    private void ThrowFor(int status, string? code, bool signed)
    {
        var answer = $"{Description} answered HTTP {status}" + (code is null ? "" : $" {code}");
        switch (code, status)
        {
            case ("NoSuchKey" or "NoSuchBucket", _) or (_, 404):
                ImportException.Throw(ImportFailureReason.SourceNotFound, $"{answer}: the object does not exist");
                break;
            case ("SignatureDoesNotMatch", _):
                ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"{answer}: the secret key is wrong");
                break;
            case ("InvalidAccessKeyId", _):
                ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"{answer}: the access key id is unknown");
                break;
            case (_, 401 or 403):
                ImportException.Throw(ImportFailureReason.SourceUnauthorized,
                    signed ? $"{answer}: access denied for these keys" : $"{answer}: access denied; give --secret-dir with accessKeyId and secretKey");
                break;
            case (_, 429 or 503) when code is "SlowDown" or null:
                ImportException.Throw(ImportFailureReason.SourceRateLimited, $"{answer}: the store is throttling requests");
                break;
            default:
                ImportException.Throw(status >= 500 ? ImportFailureReason.SourceUnavailable : ImportFailureReason.SourceHttpError, answer);
                break;
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length > 16384 ? text[..16384] : text;
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        _response?.Dispose();
        _trust.Dispose();
        return ValueTask.CompletedTask;
    }
}
