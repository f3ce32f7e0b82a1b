using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Worker.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Worker.Progress;

/// <summary>
/// Serves an importer pod's progress on its own address (<c>status.podIP</c>), port <see cref="ImportProgress.Port"/>:
/// the typed <see cref="ImportProgress"/> as JSON at <see cref="ImportProgress.Path"/>, and upstream's metric as
/// Prometheus text at <see cref="ImportProgress.MetricsPath"/>. Read-only, GET only, two small bodies.
/// </summary>
internal sealed class ProgressServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProgressServer(WebApplication app) => _app = app;

    /// <summary>Starts serving; null (after one warning line) when the address cannot be bound, since an import must not fail for that.</summary>
    public static async Task<ProgressServer?> TryStartAsync(IPAddress address, int port, ServedProgress progress, string? ownerUid, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Signals are the worker's (WorkerCommands): the web host must not take SIGTERM over.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
        });
        var app = builder.Build();
        // One delegate, no routing: minimal APIs would bind through reflection, which the native worker has not.
        app.Run(context => ServeAsync(context, progress, ownerUid));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new ProgressServer(app);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            Console.Error.WriteLine($"warning: cannot serve progress on {address}:{port}: {e.Message.ReplaceLineEndings(" ")}");
            await app.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task ServeAsync(HttpContext context, ServedProgress progress, string? ownerUid)
    {
        var path = context.Request.Path.Value;
        if (path != ImportProgress.Path && path != ImportProgress.MetricsPath)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }
        var (body, type) = path == ImportProgress.Path
            ? (JsonSerializer.SerializeToUtf8Bytes(progress.Current, ApiJsonContext.Default.ImportProgress), "application/json")
            : (Encoding.UTF8.GetBytes(Metrics(progress.Current, ownerUid)), "text/plain; version=0.0.4; charset=utf-8");
        context.Response.ContentType = type;
        context.Response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>Upstream's counter: the phase's percentage, labelled with the claim's UID.</summary>
    internal static string Metrics(ImportProgress progress, string? ownerUid)
    {
        var label = (ownerUid ?? "").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
        var value = (progress.Percent ?? 0).ToString("0.##", CultureInfo.InvariantCulture);
        return $$"""
            # HELP {{ImportProgress.MetricName}} The import progress in percentage
            # TYPE {{ImportProgress.MetricName}} counter
            {{ImportProgress.MetricName}}{ownerUID="{{label}}"} {{value}}

            """.ReplaceLineEndings("\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
