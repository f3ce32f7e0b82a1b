namespace Cdi.Importer.Core.Sources;

/// <summary>
/// Positional reads of a source that can serve them (a server honouring Range, a local file): what lets seekable formats
/// convert without a scratch copy. Every read sees the same version of the bytes, or fails.
/// </summary>
public interface IRandomAccessReader : IAsyncDisposable
{
    long Length { get; }

    /// <summary>Bytes read from the source so far (for progress).</summary>
    long BytesFetched { get; }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; reading past the end is corruption.</summary>
    ValueTask ReadExactlyAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>
    /// The bytes from <paramref name="offset"/> on, <paramref name="count"/> of them, as a forward stream of their own
    /// (one request to a server, resumed on breaks), for readers that each take a different part of the file at once.
    /// </summary>
    ValueTask<Stream> OpenRangeAsync(long offset, long count, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new Streams.RangeReadStream(this, offset, count));

    /// <summary>An image's own tables decide where reads go: one pointing past the end is corruption, not an I/O error.</summary>
    static void CheckWithin(long offset, long count, long length)
    {
        if (offset < 0 || count < 0 || offset + count > length)
        {
            Pipeline.ImportException.Throw(Pipeline.ImportFailureReason.CorruptImage, $"image refers to bytes {offset}..{offset + count} beyond its end ({length})");
        }
    }
}
