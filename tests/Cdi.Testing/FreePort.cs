using System.Net;
using System.Net.Sockets;

namespace Cdi.Testing;

public static class FreePort
{
    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Waits (bounded) until something accepts connections on the port.</summary>
    public static void WaitListening(int port, TimeSpan timeout) => WaitListening(port, timeout, null, "");

    /// <summary>Waits (bounded) until the server process accepts connections, failing at once if it exits.</summary>
    public static void WaitListening(int port, TimeSpan timeout, System.Diagnostics.Process? process, string name)
    {
        var listening = Poll.Until(() =>
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
            }
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, timeout, TimeSpan.FromMilliseconds(20));
        if (!listening)
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }
    }

    /// <summary>
    /// Starts a server process on <paramref name="count"/> free ports and waits until it listens on all of them. A port
    /// picked free can be taken (by another test's server or an outgoing connection) before the process binds it; the
    /// process then exits, and it is started again on new ports.
    /// </summary>
    public static (int[] Ports, System.Diagnostics.Process Process) StartServer(int count, Func<int[], System.Diagnostics.Process> start,
        string name, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, count).Select(_ => Next()).ToArray();
            var process = start(ports);
            try
            {
                foreach (var port in ports)
                {
                    WaitListening(port, timeout, process, name);
                }
                return (ports, process);
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                process.Dispose();
            }
        }
    }
}
