using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Streams;

/// <summary>A seekable, read-only Stream over positional reads, for the (synchronous) format inspectors.</summary>
public sealed class RandomAccessReadStream(IRandomAccessReader reader) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => reader.Length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Max(0, Math.Min(buffer.Length, reader.Length - _position));
        if (n == 0)
        {
            return 0;
        }
        var temp = new byte[n];
        // The inspectors are synchronous and read little (headers and tables); there is no synchronization context here.
        reader.ReadExactlyAtAsync(_position, temp, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        temp.CopyTo(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => reader.Length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
