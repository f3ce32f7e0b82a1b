using System.Security.Cryptography;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Checksums;

/// <summary>Hashes every byte read through it: the checksum covers the bytes as served, before any decompression.</summary>
public sealed class HashingReadStream(Stream inner, ExpectedChecksum expected) : ReadOnlyForwardStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(expected.HashName);

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    /// <summary>Reads what the consumer left unread (a trailer after the image), then compares.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var rest = new byte[64 * 1024];
        while (await ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
        var actual = _hash.GetHashAndReset();
        if (!actual.AsSpan().SequenceEqual(expected.Digest))
        {
            ImportException.Throw(ImportFailureReason.ChecksumMismatch,
                $"checksum mismatch: expected {expected.Text} got {expected.Algorithm}:{Convert.ToHexStringLower(actual)}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
