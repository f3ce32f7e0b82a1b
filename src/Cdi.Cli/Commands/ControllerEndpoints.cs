using System.Net;
using System.Text;
using Cdi.Cluster.Hosting;
using Cdi.Kube.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Cli.Commands;

/// <summary>
/// <c>cdi controller</c>'s own HTTP endpoints, for probes and Prometheus: <c>/healthz</c> and <c>/livez</c> (the
/// process answers), <c>/readyz</c> (every running controller's caches synced and none failing; a replica waiting for
/// the lease has none running and is ready), <c>/metrics</c> (<see cref="ControllerMetricsText"/>). GET only, no bodies in.
/// </summary>
internal sealed class ControllerEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControllerEndpoints(WebApplication app) => _app = app;

    /// <summary>The address it listens on (the port filled in when 0 was asked).</summary>
    public Uri Url => new(_app.Urls.First());

    /// <summary>
    /// Parses <c>HOST:PORT</c> or <c>:PORT</c> (every address); <c>0</c> turns the endpoints off. Null with a
    /// message when the value is neither.
    /// </summary>
    public static bool TryParseAddress(string value, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (value == "0")
        {
            return true;
        }
        var text = value.StartsWith(':') ? "0.0.0.0" + value : value;
        if (IPEndPoint.TryParse(text, out var parsed) && text.Contains(':', StringComparison.Ordinal))
        {
            endpoint = parsed;
            return true;
        }
        error = $"--metrics-bind-address {value}: expected HOST:PORT, :PORT or 0 (off)";
        return false;
    }

    public static async Task<ControllerEndpoints> StartAsync(IPEndPoint address, Func<IReadOnlyList<IControllerStatus>> controllers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Signals stay the command's: the web host must not take SIGTERM over.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
        });
        var app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(ControllerMetricsText.Render(controllers()), "text/plain; version=0.0.4", Encoding.UTF8));
        foreach (var endpoint in new[] { "healthz", "livez", "readyz" })
        {
            app.MapGet("/" + endpoint, (HttpContext context) =>
            {
                var (ok, text) = HealthReport.Check(endpoint, context.Request.Query.ContainsKey("verbose"),
                    controllers().Select(c => (c.Name, (ControllerHealth?)c.Health)));
                return Results.Text(text, "text/plain", Encoding.UTF8, ok ? 200 : 503);
            });
        }
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ControllerEndpoints(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
