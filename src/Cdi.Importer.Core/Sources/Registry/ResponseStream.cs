using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>A response body that disposes its response with it.</summary>
public sealed class ResponseStream(Stream body, HttpResponseMessage response) : ReadOnlyForwardStream
{
    public override int Read(Span<byte> buffer) => body.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => body.ReadAsync(buffer, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
