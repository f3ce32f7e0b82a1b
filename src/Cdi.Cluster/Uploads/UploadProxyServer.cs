using System.Net;
using System.Security.Cryptography.X509Certificates;
using Cdi.Cluster.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Uploads;

/// <summary>
/// The upload proxy's listener: HTTPS on 127.0.0.1 with the API server's certificate (the cluster CA in the
/// kubeconfig verifies it), bodies of any size streamed through. Its URL goes into CDIConfig's status.
/// </summary>
internal sealed class UploadProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SocketsHttpHandler _toPods;

    private UploadProxyServer(WebApplication app, SocketsHttpHandler toPods, Uri url)
    {
        _app = app;
        _toPods = toPods;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<UploadProxyServer> StartAsync(int port, X509Certificate2 certificate, Func<HttpMessageInvoker, UploadProxyHandler> handler,
        CancellationToken cancellationToken)
    {
        // Straight to pods' own addresses: no proxy, no redirects, no time limit on a long upload.
        var toPods = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "cdi-uploadproxy" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        var invoker = new HttpMessageInvoker(toPods, disposeHandler: false);
        app.Run(handler(invoker).HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = new Uri(app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return new UploadProxyServer(app, toPods, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _toPods.Dispose();
    }
}
