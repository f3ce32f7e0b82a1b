using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Streams;

/// <summary>Turns a body that ends before its announced length into a failure: a short download is never a success.</summary>
public sealed class LengthCheckedStream(Stream inner, long expectedLength, string what) : ReadOnlyForwardStream
{
    private long _read;

    public override int Read(Span<byte> buffer) => Check(inner.Read(buffer), buffer.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new ImportException(ImportFailureReason.SourceTruncated,
                $"{what} broke off after {_read} of {expectedLength} bytes: {e.Message}", e);
        }
        return Check(n, buffer.Length);
    }

    private int Check(int n, int requested)
    {
        _read += n;
        if (n == 0 && requested > 0 && _read < expectedLength)
        {
            ImportException.Throw(ImportFailureReason.SourceTruncated, $"{what} ended after {_read} of {expectedLength} bytes");
        }
        if (_read > expectedLength)
        {
            ImportException.Throw(ImportFailureReason.SourceTruncated, $"{what} sent more than its announced {expectedLength} bytes");
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
