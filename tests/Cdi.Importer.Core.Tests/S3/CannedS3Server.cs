using System.Net;
using System.Text;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.S3;

/// <summary>
/// Answers every request with one fixed S3 error. s3rver does not check SigV4 signatures (only V2), so the
/// SignatureDoesNotMatch answer a real store gives for a wrong secret key is replayed from here.
/// </summary>
public sealed class CannedS3Server : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _requests;

    public CannedS3Server(int status, string code)
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>canned</Message></Error>");
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    Interlocked.Increment(ref _requests);
                    context.Response.StatusCode = status;
                    context.Response.ContentType = "application/xml";
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        try
        {
            // Close alone (see RegistryFront.Dispose): Stop then Close can rebind a port another test already took.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        _loop.Wait(TimeSpan.FromSeconds(10));
    }
}
