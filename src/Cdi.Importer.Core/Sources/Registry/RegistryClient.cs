using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A client of one registry host (OCI distribution API v2): anonymous, bearer-token (from the WWW-Authenticate realm) or
/// basic auth; plain HTTP and unverified TLS only for a host listed as insecure; 429 answers waited out per Retry-After.
/// </summary>
public sealed class RegistryClient(string host, bool insecure, SourceTrust trust, SourceCredentials? credentials, RateLimitPolicy rateLimit, TimeProvider time)
{
    private string? _scheme;
    private AuthenticationHeaderValue? _authorization;

    public string Host => host;

    public async Task<(byte[] Body, string? MediaType)> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken)
    {
        using var response = await SendAsync($"/v2/{repository}/manifests/{reference}", repository, accept: true, $"manifest {repository}:{reference}", cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > OciManifest.MaxBytes)
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"manifest {repository}:{reference} from {host} is larger than {OciManifest.MaxBytes} bytes");
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = await ReadBoundedAsync(stream, OciManifest.MaxBytes, cancellationToken).ConfigureAwait(false);
            return (body, response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>The blob's bytes, verified against its digest and size as they are read.</summary>
    public async Task<Stream> OpenBlobAsync(string repository, OciDescriptor blob, CancellationToken cancellationToken)
    {
        var what = $"blob {blob.Digest} of {host}/{repository}";
        var response = await SendAsync($"/v2/{repository}/blobs/{blob.Digest}", repository, accept: false, what, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new DigestVerifyingStream(new ResponseStream(body, response), blob.Digest, blob.Size, what);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string repository, bool accept, string what, CancellationToken cancellationToken)
    {
        var authRetried = false;
        var rateAttempt = 0;
        while (true)
        {
            var response = await SendOnceAsync(path, accept, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return response;
            }
            using (response)
            {
                var body = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                var detail = RegistryErrorBody.Summarize(body, out var tooMany);
                if (response.StatusCode == HttpStatusCode.Unauthorized && !authRetried)
                {
                    authRetried = true;
                    await AuthenticateAsync(response, repository, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.TooManyRequests || tooMany)
                {
                    rateAttempt++;
                    var retryAfter = RetryAfter(response);
                    var wait = rateAttempt < rateLimit.Attempts ? rateLimit.Wait(retryAfter, rateAttempt) : null;
                    if (wait is null)
                    {
                        var after = retryAfter is { } r ? $"; it asks to retry after {r.TotalSeconds:0}s" : "";
                        ImportException.Throw(ImportFailureReason.SourceRateLimited,
                            $"registry {host} rate-limited the pull of {what} (HTTP {(int)response.StatusCode} toomanyrequests){after}: wait, authenticate with --secret-dir or use a mirror");
                    }
                    await Task.Delay(wait.Value, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                ThrowFor(response, what, detail);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            return date - DateTimeOffset.UtcNow;
        }
        return null;
    }

    private void ThrowFor(HttpResponseMessage response, string what, string? detail)
    {
        var code = (int)response.StatusCode;
        var text = $"registry {host} answered HTTP {code} for {what}" + (detail is null ? "" : $" ({detail})");
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                ImportException.Throw(ImportFailureReason.SourceNotFound, $"{what} not found in registry {host}" + (detail is null ? "" : $" ({detail})"));
                break;
            case HttpStatusCode.Unauthorized:
                ImportException.Throw(ImportFailureReason.SourceUnauthorized, credentials is null
                    ? $"{text}: the registry needs credentials; give --secret-dir with accessKeyId and secretKey"
                    : $"{text}: the registry refused the credentials");
                break;
            case HttpStatusCode.Forbidden:
                ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"{text}: access denied");
                break;
            default:
                ImportException.Throw(code >= 500 ? ImportFailureReason.SourceUnavailable : ImportFailureReason.SourceHttpError, text);
                break;
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(string path, bool accept, CancellationToken cancellationToken)
    {
        if (_scheme is { } known)
        {
            return await SendToAsync(known, path, accept, cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var response = await SendToAsync("https", path, accept, cancellationToken).ConfigureAwait(false);
            _scheme = "https";
            return response;
        }
        catch (ImportException) when (insecure)
        {
            // An insecure registry may serve plain HTTP only.
            var response = await SendToAsync("http", path, accept, cancellationToken).ConfigureAwait(false);
            _scheme = "http";
            return response;
        }
    }

    private async Task<HttpResponseMessage> SendToAsync(string scheme, string path, bool accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{scheme}://{ApiHost}{path}"));
        request.Headers.UserAgent.ParseAdd("cdi-importer/1.0");
        if (accept)
        {
            foreach (var mediaType in OciMediaTypes.Accepted)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
            }
        }
        request.Headers.Authorization = _authorization;
        return await SendRawAsync(request, $"registry {host}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await trust.Client(insecure).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException && insecure)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"cannot reach {what} over HTTPS: {e.Message}", e);
        }
        catch (HttpRequestException e) when (Network.TransportFailure.Final(e, (detail, _) =>
            $"TLS verification of {what} failed ({detail}): give its CA with --cert-dir, or list it as an insecure registry if it serves plain HTTP") is { } final)
        {
            throw final;
        }
        catch (HttpRequestException e)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"cannot reach {what}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImportException(ImportFailureReason.SourceUnavailable, $"no answer from {what}", e);
        }
    }

    private async Task AuthenticateAsync(HttpResponseMessage response, string repository, CancellationToken cancellationToken)
    {
        var challenge = response.Headers.WwwAuthenticate.Select(h => AuthChallenge.Parse(h.ToString())).FirstOrDefault(c => c is not null);
        if (challenge is null)
        {
            ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"registry {host} answered HTTP 401 without a WWW-Authenticate challenge");
        }
        if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials is null)
            {
                ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"registry {host} needs credentials: give --secret-dir with accessKeyId and secretKey");
            }
            _authorization = BasicHeader(credentials);
            return;
        }
        if (!string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"registry {host} asks for unsupported authentication \"{challenge.Scheme}\"");
        }
        _authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(challenge, repository, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> GetTokenAsync(AuthChallenge challenge, string repository, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Get("realm"), UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http")
            || (realm.Scheme == "http" && !insecure && !string.Equals(realm.Host, "localhost", StringComparison.Ordinal)))
        {
            ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"registry {host} names an unusable token realm \"{challenge.Get("realm")}\"");
        }
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
        if (challenge.Get("service") is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }
        query.Append("scope=").Append(Uri.EscapeDataString(challenge.Get("scope") ?? $"repository:{repository}:pull"));
        var url = new UriBuilder(realm) { Query = query.ToString() }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd("cdi-importer/1.0");
        if (credentials is not null)
        {
            request.Headers.Authorization = BasicHeader(credentials);
        }
        using var response = await SendRawAsync(request, $"token service {realm.Host} of registry {host}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            ImportException.Throw(response.StatusCode == HttpStatusCode.TooManyRequests ? ImportFailureReason.SourceRateLimited : ImportFailureReason.SourceUnauthorized,
                $"token service {realm.Host} of registry {host} answered HTTP {(int)response.StatusCode}" + (credentials is null ? "" : ": check the credentials"));
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var body = await ReadBoundedAsync(stream, 1 << 20, cancellationToken).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var token = root.TryGetProperty("token", out var t) ? t.GetString() : root.TryGetProperty("access_token", out var a) ? a.GetString() : null;
                if (string.IsNullOrEmpty(token))
                {
                    ImportException.Throw(ImportFailureReason.SourceUnauthorized, $"token service {realm.Host} of registry {host} returned no token");
                }
                return token;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new ImportException(ImportFailureReason.SourceUnauthorized, $"token service {realm.Host} of registry {host} returned invalid JSON", e);
            }
        }
    }

    private string ApiHost => host == ImageReference.DockerHub ? "registry-1.docker.io" : host;

    private static AuthenticationHeaderValue BasicHeader(SourceCredentials c) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.AccessKeyId}:{c.SecretKey}")));

    private static async Task<byte[]> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadBoundedAsync(stream, 64 << 10, cancellationToken, truncate: true).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken, bool truncate = false)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[16 << 10];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + n > limit)
            {
                if (truncate)
                {
                    break;
                }
                ImportException.Throw(ImportFailureReason.CorruptImage, $"a document from registry larger than {limit} bytes");
            }
            memory.Write(buffer, 0, n);
        }
        return memory.ToArray();
    }
}
