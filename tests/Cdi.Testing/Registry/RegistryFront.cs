using System.Net;
using System.Text;

namespace Cdi.Testing.Registry;

/// <summary>
/// A small HTTP front for a real registry, for what docker-registry cannot do itself: answer 429 with Retry-After a
/// number of times (a rate limit), require a bearer token from its own token endpoint, and serve the registry under a
/// path prefix (a mirror such as <c>harbor.internal/proxy</c>).
/// </summary>
public sealed class RegistryFront : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly string _upstreamHost;
    private readonly Task _loop;
    private int _rateLimited;
    private int _requests;

    /// <param name="rateLimit">How many requests to answer with 429 before passing through.</param>
    /// <param name="pathPrefix">Served as <c>/v2/PREFIX/repo</c> for the registry's <c>/v2/repo</c>.</param>
    /// <param name="bearerToken">When set, /v2/ requests need it, handed out by /token (to <paramref name="tokenCredentials"/> only, when set).</param>
    public RegistryFront(string upstreamHost, int rateLimit = 0, int retryAfterSeconds = 7, string? pathPrefix = null,
        string? bearerToken = null, string? tokenCredentials = null)
    {
        _upstreamHost = upstreamHost;
        RateLimit = rateLimit;
        RetryAfterSeconds = retryAfterSeconds;
        PathPrefix = pathPrefix;
        BearerToken = bearerToken;
        TokenCredentials = tokenCredentials;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public int RateLimit { get; set; }

    public int RetryAfterSeconds { get; }

    public string? PathPrefix { get; }

    public string? BearerToken { get; }

    public string? TokenCredentials { get; }

    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    public int RequestCount => Volatile.Read(ref _requests);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            Interlocked.Increment(ref _requests);
            var path = context.Request.Url!.AbsolutePath;
            if (path == "/token")
            {
                await TokenAsync(context).ConfigureAwait(false);
                return;
            }
            if (Interlocked.Increment(ref _rateLimited) <= RateLimit)
            {
                response.StatusCode = 429;
                response.AddHeader("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await WriteAsync(response, """{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}""").ConfigureAwait(false);
                return;
            }
            Interlocked.Decrement(ref _rateLimited);
            if (BearerToken is not null && context.Request.Headers["Authorization"] != $"Bearer {BearerToken}")
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://{Host}/token\",service=\"cdi-front\",scope=\"repository:{Repository(path)}:pull\"");
                await WriteAsync(response, """{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""").ConfigureAwait(false);
                return;
            }
            if (PathPrefix is not null)
            {
                var prefix = $"/v2/{PathPrefix}/";
                if (path != "/v2/" && !path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    response.StatusCode = 404;
                    await WriteAsync(response, """{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}""").ConfigureAwait(false);
                    return;
                }
                path = path == "/v2/" ? path : "/v2/" + path[prefix.Length..];
            }
            await ForwardAsync(context, path).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private static string Repository(string path)
    {
        var rest = path.StartsWith("/v2/", StringComparison.Ordinal) ? path[4..] : path;
        foreach (var marker in new[] { "/manifests/", "/blobs/" })
        {
            var i = rest.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0)
            {
                return rest[..i];
            }
        }
        return rest;
    }

    private async Task TokenAsync(HttpListenerContext context)
    {
        if (TokenCredentials is not null)
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TokenCredentials));
            if (context.Request.Headers["Authorization"] != expected)
            {
                context.Response.StatusCode = 401;
                await WriteAsync(context.Response, """{"details":"bad credentials"}""").ConfigureAwait(false);
                return;
            }
        }
        await WriteAsync(context.Response, $$"""{"token":"{{BearerToken}}","expires_in":300}""").ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpListenerContext context, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), $"http://{_upstreamHost}{path}{context.Request.Url!.Query}");
        foreach (var accept in context.Request.AcceptTypes ?? [])
        {
            request.Headers.Accept.ParseAdd(accept);
        }
        using var upstream = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        if (upstream.Content.Headers.ContentType is { } type)
        {
            response.ContentType = type.ToString();
        }
        if (upstream.Content.Headers.ContentLength is { } length)
        {
            response.ContentLength64 = length;
        }
        foreach (var name in new[] { "Docker-Content-Digest", "Location" })
        {
            if (upstream.Headers.TryGetValues(name, out var values))
            {
                response.AddHeader(name, string.Join(",", values));
            }
        }
        await using var body = await upstream.Content.ReadAsStreamAsync().ConfigureAwait(false);
        await body.CopyToAsync(response.OutputStream).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpListenerResponse response, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
    }

    public void Dispose()
    {
        try
        {
            // Close alone: Stop followed by Close makes the managed listener look its endpoint up again, which can bind
            // the port anew — and fail with "Address already in use" once another test's server took it.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Cleanup of a test server: the listener is gone either way.
        }
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        _upstream.Dispose();
    }
}
