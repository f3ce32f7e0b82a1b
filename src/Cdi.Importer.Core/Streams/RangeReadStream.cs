using System.Buffers;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Streams;

/// <summary>A part of a positional reader as a forward stream: reads advance through it and end at its end.</summary>
public sealed class RangeReadStream(IRandomAccessReader reader, long offset, long count) : ReadOnlyForwardStream
{
    private long _position = offset;
    private readonly long _end = CheckedEnd(reader, offset, count);

    public override int Read(Span<byte> buffer) => ReadThroughAsync(buffer);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = (int)Math.Min(buffer.Length, _end - _position);
        if (n <= 0)
        {
            return 0;
        }
        await reader.ReadExactlyAtAsync(_position, buffer[..n], cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    private static long CheckedEnd(IRandomAccessReader reader, long offset, long count)
    {
        IRandomAccessReader.CheckWithin(offset, count, reader.Length);
        return offset + count;
    }
}
