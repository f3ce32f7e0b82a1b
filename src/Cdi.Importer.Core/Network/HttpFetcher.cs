using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// One resource's GETs: follows redirects itself (credentials and custom headers only to the URL's own host, never
/// https→http), checks the SSRF guard, classifies failures (connect errors, resets, 408, 429 and 5xx are retried with
/// backoff; other 4xx, certificate and guard failures are terminal) and retries until a 200 or 206 arrives.
/// </summary>
internal sealed class HttpFetcher(HttpClient client, Uri url, HttpSourceOptions options, TimeProvider time)
{
    private readonly string? _authorization = options.Credentials is { } c
        ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.UserName}:{c.Password}"))
        : null;

    public string Description { get; } = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    public HttpSourceOptions Options => options;

    public TimeProvider Time => time;

    /// <summary>
    /// A 200 or 206 response with its headers read, for the whole resource or from <paramref name="offset"/> under the
    /// <paramref name="validator"/>. <paramref name="failedAttempts"/> counts the failures since the last progress.
    /// </summary>
    public Task<HttpResponseMessage> GetAsync(long offset, RangeConditionHeaderValue? validator, int failedAttempts, CancellationToken cancellationToken) =>
        GetAsync(offset, null, validator, failedAttempts, cancellationToken);

    /// <summary>As above, for the bytes <paramref name="offset"/> to <paramref name="last"/> (inclusive) when <paramref name="last"/> is set.</summary>
    public async Task<HttpResponseMessage> GetAsync(long offset, long? last, RangeConditionHeaderValue? validator, int failedAttempts, CancellationToken cancellationToken)
    {
        for (var attempt = failedAttempts + 1; ; attempt++)
        {
            RetryableFailure failure;
            try
            {
                var response = await SendFollowingRedirectsAsync(offset, last, validator, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PartialContent)
                {
                    return response;
                }
                using (response)
                {
                    failure = Classify(response, offset);
                }
            }
            catch (HttpRequestException e)
            {
                failure = Classify(e);
            }
            catch (IOException e)
            {
                failure = new(ImportFailureReason.SourceUnavailable, $"connection to {Description} broke: {e.Message}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new(ImportFailureReason.SourceUnavailable, $"{Description} sent no answer for {options.IdleTimeout.TotalSeconds:0.###} s");
            }
            await WaitBeforeRetryAsync(attempt, failure, offset, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits out the backoff after failed attempt <paramref name="attempt"/>, or throws once the attempts are spent.</summary>
    public async Task WaitBeforeRetryAsync(int attempt, RetryableFailure failure, long offset, CancellationToken cancellationToken)
    {
        if (attempt >= options.Retry.MaxAttempts)
        {
            ImportException.Throw(failure.Reason, $"{failure.Message} (gave up after {attempt} attempts)");
        }
        var delay = failure.RetryAfter is { } asked ? options.Retry.RetryAfter(asked) : options.Retry.Backoff(attempt, Random.Shared.NextDouble());
        // The timer exists before anyone hears of the retry, so a test's fake clock can be advanced from the callback on.
        var wait = Task.Delay(delay, time, cancellationToken);
        options.OnRetry?.Invoke(new HttpRetry(attempt, delay, offset, failure.Message));
        await wait.ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(long offset, long? last, RangeConditionHeaderValue? validator, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            await CheckDestinationAsync(current, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd("cdi-importer/1.0");
            if (SameOrigin(current, url))
            {
                foreach (var (name, value) in options.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                if (_authorization is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", _authorization);
                }
            }
            if (offset > 0 || last is not null)
            {
                request.Headers.Range = new RangeHeaderValue(offset, last);
                request.Headers.IfRange = validator;
            }
            if (SameOrigin(current, url))
            {
                options.SignRequest?.Invoke(request);
            }
            HttpResponseMessage response;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                using var timer = time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), idle, options.IdleTimeout, Timeout.InfiniteTimeSpan);
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            }
            if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
                or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect))
            {
                return response;
            }
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                ImportException.Throw(ImportFailureReason.SourceHttpError, $"{Description} redirected without a Location");
            }
            var next = new Uri(current, location);
            if (hop + 1 > options.MaxRedirects)
            {
                ImportException.Throw(ImportFailureReason.RedirectRefused, $"{Description} redirected more than {options.MaxRedirects} times");
            }
            if (next.Scheme is not ("http" or "https"))
            {
                ImportException.Throw(ImportFailureReason.RedirectRefused, $"{Description} redirected to a {next.Scheme}:// URL, which is not allowed");
            }
            if (current.Scheme == "https" && next.Scheme == "http")
            {
                ImportException.Throw(ImportFailureReason.RedirectRefused, $"{Description} redirected from https to plain http ({next.Host}), which is not allowed");
            }
            current = next;
        }
    }

    /// <summary>
    /// Refuses a literal address early with a clear message. Names are checked at connect time, except through a proxy,
    /// which resolves them itself: then they are resolved here too (best effort: the proxy may see other answers).
    /// </summary>
    private async Task CheckDestinationAsync(Uri destination, CancellationToken cancellationToken)
    {
        if (options.AddressPolicy.Guard == NetworkGuard.Off)
        {
            return;
        }
        var host = destination.IdnHost.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else if (options.Proxy?.GetProxy(destination) is not null)
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return;
            }
        }
        else
        {
            return;
        }
        foreach (var address in addresses)
        {
            if (options.AddressPolicy.DenialKind(address) is { } kind)
            {
                ImportException.Throw(ImportFailureReason.NetworkAddressDenied, ImportHttpClient.Describe(host, address, kind));
            }
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    private RetryableFailure Classify(HttpResponseMessage response, long offset)
    {
        var status = response.StatusCode;
        var code = (int)status;
        var what = $"{Description} answered HTTP {code} {response.ReasonPhrase}";
        if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            return new(ImportFailureReason.SourceUnavailable, what, RetryAfter(response));
        }
        if (status == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
        {
            ImportException.Throw(ImportFailureReason.SourceNotResumable, $"{what} to a resume at byte {offset}");
        }
        var reason = status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => ImportFailureReason.SourceNotFound,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ImportFailureReason.SourceUnauthorized,
            _ => ImportFailureReason.SourceHttpError,
        };
        throw new ImportException(reason, what);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    private RetryableFailure Classify(HttpRequestException e)
    {
        if (TransportFailure.Final(e, (detail, certificate) => certificate
                ? $"TLS certificate of {url.Host} is not trusted: {detail} (give its CA with --cert-dir, or skip verification explicitly)"
                : $"TLS handshake with {url.Host} failed: {detail} (if it serves plain HTTP, use an http:// URL)") is { } final)
        {
            throw final;
        }
        var detail = e.InnerException is { } i ? $"{e.Message} ({i.Message})" : e.Message;
        return new(ImportFailureReason.SourceUnavailable, $"cannot reach {Description}: {detail}");
    }
}
