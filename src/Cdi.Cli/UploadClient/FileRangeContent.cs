using System.Net;
using System.Net.Http.Headers;
using Cdi.Api.Upload;

namespace Cdi.Cli.UploadClient;

/// <summary>
/// The file from <c>offset</c> to its end as a request body, read in fixed chunks so memory stays bounded whatever
/// the file's size; a body that starts past byte 0 says where it belongs with <c>Content-Range</c>.
/// </summary>
internal sealed class FileRangeContent : HttpContent
{
    private const int ChunkSize = 1 << 20;
    private readonly string _path;
    private readonly long _offset;
    private readonly long _total;
    private readonly SentBytes _sent;

    public FileRangeContent(string path, long offset, long total, SentBytes sent)
    {
        _path = path;
        _offset = offset;
        _total = total;
        _sent = sent;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = total - offset;
        if (offset > 0)
        {
            Headers.ContentRange = new ContentRangeHeaderValue(offset, total - 1, total);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            file.Position = _offset;
            var buffer = new byte[ChunkSize];
            var left = _total - _offset;
            _sent.Set(_offset);
            while (left > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new UploadFailure($"{_path} became shorter while it was uploaded");
                }
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                left -= read;
                _sent.Add(read);
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _total - _offset;
        return true;
    }

    /// <summary>The checksum header goes on the request: the proxy forwards it, and each resume repeats it.</summary>
    public static void AddChecksum(HttpRequestMessage request, string checksum) =>
        request.Headers.TryAddWithoutValidation(UploadPaths.ChecksumHeader, checksum);
}
