using System.Net;
using System.Text;

namespace Cdi.Kube.Tests.Support;

/// <summary>An HttpMessageHandler that answers from a script, for situations a real server will not produce on demand.</summary>
public sealed class ScriptedHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private int _calls;

    public List<string> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add(request.Method + " " + request.RequestUri!.PathAndQuery);
        return Task.FromResult(respond(request, Interlocked.Increment(ref _calls) - 1));
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode code = HttpStatusCode.OK) =>
        new(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>A watch response that sends the given lines and then stays open until the reader gives up.</summary>
    public static HttpResponseMessage OpenWatch(params string[] lines) =>
        new(HttpStatusCode.OK) { Content = new StreamContent(new HangingStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"))) };

    private sealed class HangingStream(byte[] prefix) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            await Cdi.Testing.Poll.UntilCancelledAsync(cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
