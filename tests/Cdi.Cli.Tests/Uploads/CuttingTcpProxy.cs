using System.Net;
using System.Net.Sockets;

namespace Cdi.Cli.Tests.Uploads;

/// <summary>
/// A TCP relay to <paramref name="target"/> that drops the connection once <paramref name="cutAfter"/> bytes have gone
/// from clients to the target (counted over all connections), once: a dropped connection mid-upload, at a byte count
/// rather than a moment. The cut resets the client's socket, as a broken network does.
/// </summary>
internal sealed class CuttingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly long _cutAfter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _forwarded;
    private int _cuts;

    public CuttingTcpProxy(IPEndPoint target, long cutAfter)
    {
        _target = target;
        _cutAfter = cutAfter;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_target, _stop.Token);
            var up = PumpAsync(client, server, counted: true);
            var down = PumpAsync(server, client, counted: false);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool counted)
    {
        var buffer = new byte[64 << 10];
        var input = from.GetStream();
        var output = to.GetStream();
        try
        {
            while (true)
            {
                var n = await input.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }
                if (counted && Interlocked.Add(ref _forwarded, n) >= _cutAfter && Interlocked.CompareExchange(ref _cuts, 1, 0) == 0)
                {
                    // Reset, not a clean close: the client's next write fails as on a broken network.
                    from.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
                await output.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
