namespace Cdi.Importer.Core.Streams;

/// <summary>Counts the bytes read through it; the count is read by the progress reporter on another thread.</summary>
public sealed class CountingStream(Stream inner) : ReadOnlyForwardStream
{
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Interlocked.Add(ref _count, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _count, n);
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
