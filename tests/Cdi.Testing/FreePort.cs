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
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
            }
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Yield();
                using var wait = new ManualResetEventSlim();
                wait.Wait(20);
            }
        }
    }
}
