using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Cloning;

/// <summary>
/// The source side of a host-assisted clone: reads a volume raw — <c>disk.img</c> of a Filesystem volume, the whole
/// device of a Block one — and posts it to the target's upload server with a bearer token and an
/// <c>X-Cdi-Checksum</c>, so the target commits only bytes that match. The checksum needs one read before the send
/// (the header goes first); the source is not in use by a writer while a clone runs, so both reads see the same bytes.
/// Opened read-only: the source is never written.
/// </summary>
public sealed class CloneSender(HttpClient http)
{
    public const string DiskImage = "disk.img";
    private const int BufferSize = 1 << 20;

    /// <param name="source">The mounted volume: a directory (Filesystem) or the device (Block).</param>
    public async Task<CloneSendResult> SendAsync(string source, bool block, Uri uploadUrl, string token, CancellationToken cancellationToken)
    {
        var path = block ? source : Path.Combine(source, DiskImage);
        if (!block && !File.Exists(path))
        {
            return CloneSendResult.Failed(ImportFailureReason.SourceNotFound, $"the source volume has no {DiskImage}: only disk images are cloned");
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, BufferSize = 0 });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CloneSendResult.Failed(ImportFailureReason.SourceUnavailable, $"cannot open the source {path}: {e.Message}");
        }
        await using (stream)
        {
            // A block device reports no length through stat; seeking to its end does.
            var length = stream.Seek(0, SeekOrigin.End);
            stream.Seek(0, SeekOrigin.Begin);
            byte[] digest;
            try
            {
                digest = await Sha256Async(stream, length, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return CloneSendResult.Failed(ImportFailureReason.SourceTruncated, $"cannot read the source {path}: {e.Message}", length);
            }
            stream.Seek(0, SeekOrigin.Begin);
            using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl)
            {
                Content = new StreamContent(new BoundedReadStream(stream, length), BufferSize),
            };
            request.Content.Headers.ContentLength = length;
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-Cdi-Checksum", "sha256:" + Convert.ToHexStringLower(digest));
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim().ReplaceLineEndings(" ");
                return response.StatusCode switch
                {
                    HttpStatusCode.OK => CloneSendResult.Sent($"cloned {length} bytes: {body}", length),
                    // The token was refused: a new source pod gets a new one (the controller mints one per pod).
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                        CloneSendResult.Failed(ImportFailureReason.SourceUnauthorized, $"the target's upload server refused the clone token ({(int)response.StatusCode}): {body}", length),
                    // Busy or failing for now (one upload at a time, a restart): another attempt may get through.
                    >= HttpStatusCode.InternalServerError =>
                        CloneSendResult.Failed(ImportFailureReason.SourceUnavailable, $"the target's upload server answered {(int)response.StatusCode}: {body}", length),
                    _ => CloneSendResult.Failed(ImportFailureReason.SourceHttpError, $"the target's upload server answered {(int)response.StatusCode}: {body}", length),
                };
            }
            catch (HttpRequestException e)
            {
                return CloneSendResult.Failed(ImportFailureReason.SourceUnavailable, $"cannot stream to the target's upload server {uploadUrl.GetLeftPart(UriPartial.Authority)}: {e.Message}", length);
            }
        }
    }

    private static async Task<byte[]> Sha256Async(Stream stream, long length, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long left = length;
        while (left > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException($"the source ended {left} bytes early while being read");
            }
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        return hash.GetHashAndReset();
    }
}
