namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>
/// Hands out at most <c>maxChunk</c> bytes per read, so parsers and decoders meet every possible buffer boundary
/// (1 byte, odd sizes, large blocks). Seeks pass through when the inner stream can seek.
/// </summary>
public sealed class ChunkedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly int _maxChunk;
    private readonly bool _leaveOpen;

    public ChunkedReadStream(Stream inner, int maxChunk, bool leaveOpen = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunk, 1);
        _inner = inner;
        _maxChunk = maxChunk;
        _leaveOpen = leaveOpen;
    }

    public int ReadCalls { get; private set; }

    public bool IsDisposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => _inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadCalls++;
        return _inner.Read(buffer[..Math.Min(buffer.Length, _maxChunk)]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ReadCalls++;
        return _inner.ReadAsync(buffer[..Math.Min(buffer.Length, _maxChunk)], cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            IsDisposed = true;
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
