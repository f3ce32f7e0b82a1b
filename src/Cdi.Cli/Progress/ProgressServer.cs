using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Cluster.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cdi.Cli.Progress;

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
        // The importer's signal handling stays the CLI's: the web host must not take SIGTERM over.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 0;
            k.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
        });
        var app = builder.Build();
        app.MapGet(ImportProgress.Path, () => Results.Bytes(
            JsonSerializer.SerializeToUtf8Bytes(progress.Current, ApiJsonContext.Default.ImportProgress), "application/json"));
        app.MapGet(ImportProgress.MetricsPath, () => Results.Text(Metrics(progress.Current, ownerUid), "text/plain; version=0.0.4", Encoding.UTF8));
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
