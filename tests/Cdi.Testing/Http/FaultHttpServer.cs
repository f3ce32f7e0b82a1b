using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Cdi.Testing.Http;

/// <summary>
/// A real HTTP/1.1 server over loopback sockets (optionally TLS) whose every answer is decided by a handler, so tests
/// can reset connections at byte N, stall, change validators, ignore Range, lie in Content-Range, redirect, or refuse.
/// One request per connection (<c>Connection: close</c>); every request is recorded.
/// </summary>
public sealed class FaultHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<RecordedRequest, FaultReply> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _accepting;
    private int _count;
    private int _open;
    private int _maxOpen;
    private int _stalls;

    public FaultHttpServer(Func<RecordedRequest, FaultReply> handler, X509Certificate2? certificate = null)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Scheme => _certificate is null ? "http" : "https";

    /// <summary>The URL by address.</summary>
    public string Url(string path = "/disk.img") => $"{Scheme}://127.0.0.1:{Port}{path}";

    /// <summary>The same server by name: another host as far as a client's origin rules go.</summary>
    public string LocalhostUrl(string path = "/disk.img") => $"{Scheme}://localhost:{Port}{path}";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests.OrderBy(r => r.Index)];

    /// <summary>How many replies have gone quiet (<see cref="FaultReply.Silent"/> or <see cref="FaultReply.StallAfter"/>) with everything before the silence sent.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>The most requests this server was answering at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxOpen);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var network = new NetworkStream(socket, ownsSocket: true);
            Stream stream = network;
            if (_certificate is not null)
            {
                var ssl = new SslStream(network, leaveInnerStreamOpen: true);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token).ConfigureAwait(false);
                stream = ssl;
            }
            await using (stream.ConfigureAwait(false))
            {
                var request = await ReadRequestAsync(stream).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }
                _requests.Enqueue(request);
                var open = Interlocked.Increment(ref _open);
                int max;
                while (open > (max = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, max) != max)
                {
                }
                try
                {
                    await ReplyAsync(stream, socket, _handler(request)).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the handshake failed (an untrusted certificate): nothing to answer.
        }
    }

    private async Task<RecordedRequest?> ReadRequestAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }
            filled += n;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var lines = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
                var first = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
                return new RecordedRequest(Interlocked.Increment(ref _count) - 1, first[0], first[1], headers);
            }
            if (filled == buffer.Length)
            {
                return null;
            }
        }
    }

    private async Task ReplyAsync(Stream stream, Socket socket, FaultReply reply)
    {
        if (reply.Silent)
        {
            Interlocked.Increment(ref _stalls);
            await WaitForCloseAsync(stream).ConfigureAwait(false);
            return;
        }
        var head = new StringBuilder();
        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {reply.ReasonPhrase}\r\n");
        head.Append(System.Globalization.CultureInfo.InvariantCulture, $"Content-Length: {reply.ContentLength ?? reply.Body.Length}\r\n");
        head.Append("Connection: close\r\n");
        foreach (var (name, value) in reply.Headers)
        {
            head.Append(System.Globalization.CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token).ConfigureAwait(false);
        var cut = reply.ResetAfter ?? reply.StallAfter ?? reply.Body.Length;
        var body = reply.Body[..(int)Math.Min(cut, reply.Body.Length)];
        for (var offset = 0; offset < body.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(body.Slice(offset, Math.Min(64 * 1024, body.Length - offset)), _stop.Token).ConfigureAwait(false);
        }
        await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
        if (reply.ResetAfter is not null)
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            return;
        }
        if (reply.StallAfter is not null)
        {
            Interlocked.Increment(ref _stalls);
            await WaitForCloseAsync(stream).ConfigureAwait(false);
        }
    }

    /// <summary>Holds the connection open, sending nothing, until the client closes it (or the server stops).</summary>
    private async Task WaitForCloseAsync(Stream stream)
    {
        var sink = new byte[1024];
        while (await stream.ReadAsync(sink, _stop.Token).ConfigureAwait(false) > 0)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        _listener.Dispose();
        _stop.Dispose();
    }
}
