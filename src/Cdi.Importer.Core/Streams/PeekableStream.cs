namespace Cdi.Importer.Core.Streams;

/// <summary>Lets the detectors look at the first bytes of a stream and then hands them out again, so nothing is read twice from the source.</summary>
public sealed class PeekableStream(Stream inner) : ReadOnlyForwardStream
{
    private byte[] _head = [];
    private int _headOffset;

    /// <summary>Returns up to <paramref name="count"/> bytes from the current position without consuming them (fewer only at end of stream).</summary>
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        var available = _head.Length - _headOffset;
        if (available >= count)
        {
            return _head.AsMemory(_headOffset, count);
        }
        var buffer = new byte[count];
        _head.AsSpan(_headOffset, available).CopyTo(buffer);
        var filled = available;
        while (filled < count)
        {
            var n = await inner.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            filled += n;
        }
        _head = filled == count ? buffer : buffer[..filled];
        _headOffset = 0;
        return _head;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_headOffset < _head.Length)
        {
            return TakeHead(buffer);
        }
        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headOffset < _head.Length)
        {
            return ValueTask.FromResult(TakeHead(buffer.Span));
        }
        return inner.ReadAsync(buffer, cancellationToken);
    }

    private int TakeHead(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _head.Length - _headOffset);
        _head.AsSpan(_headOffset, n).CopyTo(buffer);
        _headOffset += n;
        if (_headOffset == _head.Length)
        {
            _head = [];
            _headOffset = 0;
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
