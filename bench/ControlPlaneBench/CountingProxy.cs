using Cdi.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cdi.Bench.ControlPlane;

/// <summary>
/// An HTTPS pass-through between the controller and the API server that counts each request by verb and resource.
/// The API server counts nothing itself, and the controller exposes no request metrics, so the count is taken on the
/// wire. Serves with the cluster's own certificate, so the controller's kubeconfig differs only in the port.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Proxy-Connection", "Host",
    };

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private CountingProxy(WebApplication app, HttpClient upstream) => (_app, _upstream) = (app, upstream);

    public Uri Url { get; private set; } = null!;

    public static async Task<CountingProxy> StartAsync(ClusterApi api, string clusterDir)
    {
        var pki = Path.Combine(clusterDir, "pki");
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "apiserver.crt"), Path.Combine(pki, "apiserver.key"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var proxy = new CountingProxy(app, new HttpClient(api.CreateHandler()) { BaseAddress = api.Server, Timeout = Timeout.InfiniteTimeSpan });
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Url = new Uri(app.Urls.First());
        return proxy;
    }

    /// <summary>Requests so far, keyed "verb resource".</summary>
    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts, StringComparer.Ordinal);

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var (verb, resource, _) = RequestKind.Of(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "");
        _counts.AddOrUpdate($"{verb} {resource}", 1, (_, n) => n + 1);

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path.Value + request.QueryString.Value);
        if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding") || request.Method is "POST" or "PUT" or "PATCH")
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, context.RequestAborted);
            forward.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }
        HttpResponseMessage response;
        try
        {
            response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                // Flushed per read: watch events must reach the controller as they come, not when a buffer fills.
                while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                // The controller or the server closed the stream (a watch ending): nothing to forward any more.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
