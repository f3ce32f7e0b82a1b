using System.Net;

namespace Cdi.Cli.Tests.Uploads;

/// <summary>A request body that sends its first <paramref name="before"/> bytes, then waits for <paramref name="go"/> before the rest: an upload in progress, or cut off.</summary>
internal sealed class HeldContent : HttpContent
{
    private readonly byte[] _bytes;
    private readonly int _before;
    private readonly Task _go;

    public HeldContent(byte[] bytes, int before, Task go, string? checksum)
    {
        _bytes = bytes;
        _before = before;
        _go = go;
        Headers.ContentType = new("application/octet-stream");
        Headers.ContentLength = bytes.Length;
        if (checksum is not null)
        {
            Headers.Add(Cdi.Api.Upload.UploadPaths.ChecksumHeader, checksum);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_bytes.AsMemory(0, _before), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await _go.WaitAsync(cancellationToken);
        await stream.WriteAsync(_bytes.AsMemory(_before), cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }
}
