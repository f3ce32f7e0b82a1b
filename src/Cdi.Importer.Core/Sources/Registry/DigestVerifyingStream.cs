using System.Security.Cryptography;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// Hashes a blob as it is read and, on reaching its end, checks both its size and its digest: a mismatch throws before
/// the reader ever sees the end, so nothing built on the bytes can be committed.
/// </summary>
public sealed class DigestVerifyingStream(Stream inner, OciDigest digest, long size, string what) : ReadOnlyForwardStream
{
    private readonly IncrementalHash _hash = digest.CreateHash();
    private long _read;
    private bool _verified;

    public long BytesRead => _read;

    public override int Read(Span<byte> buffer) => Account(buffer, inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span, n);
    }

    private int Account(ReadOnlySpan<byte> buffer, int n)
    {
        if (n > 0)
        {
            _read += n;
            if (_read > size)
            {
                ImportException.Throw(ImportFailureReason.DigestMismatch, $"{what} is larger than the {size} bytes its descriptor says");
            }
            _hash.AppendData(buffer[..n]);
            return n;
        }
        if (!_verified)
        {
            if (_read != size)
            {
                ImportException.Throw(ImportFailureReason.SourceTruncated, $"{what} ended after {_read} of {size} bytes");
            }
            Span<byte> hash = stackalloc byte[64];
            var length = _hash.GetHashAndReset(hash);
            if (!digest.Matches(hash[..length]))
            {
                ImportException.Throw(ImportFailureReason.DigestMismatch, $"{what} does not match its digest {digest}: the registry served different content");
            }
            _verified = true;
        }
        return 0;
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
