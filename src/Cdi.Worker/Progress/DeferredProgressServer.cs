using System.Net;

namespace Cdi.Worker.Progress;

/// <summary>
/// Serves progress only once the work has run for <see cref="StartDelay"/>. The controller asks a running pod every
/// 2 s, so a worker that is done sooner (a blank volume, a small image) would start a web server nobody reads: that
/// server was half of a blank worker's CPU (docs/performance.md).
/// </summary>
internal sealed class DeferredProgressServer : IAsyncDisposable
{
    public static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task<ProgressServer?> _server;

    public DeferredProgressServer(IPAddress address, int port, ServedProgress progress, string? ownerUid, TimeProvider time) =>
        _server = StartLaterAsync(address, port, progress, ownerUid, time, _stop.Token);

    private static async Task<ProgressServer?> StartLaterAsync(IPAddress address, int port, ServedProgress progress, string? ownerUid,
        TimeProvider time, CancellationToken stop)
    {
        try
        {
            await Task.Delay(StartDelay, time, stop).ConfigureAwait(false);
            return await ProgressServer.TryStartAsync(address, port, progress, ownerUid, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (await _server.ConfigureAwait(false) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
