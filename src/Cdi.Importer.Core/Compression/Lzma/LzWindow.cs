using System.Runtime.InteropServices;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>
/// The decoder's history and output in one circular buffer: the dictionary plus room for one whole chunk, so a chunk
/// never overwrites bytes it may still refer to or bytes not yet handed out (they are taken after every chunk). The
/// memory is native and freed on dispose: windows of up to a few hundred MiB must leave when their block is done, not
/// when the garbage collector next looks, or parallel decoders would exceed the budget they share.
/// </summary>
internal sealed unsafe class LzWindow : IDisposable
{
    /// <summary>Largest number of bytes one LZMA2 chunk decodes to.</summary>
    public const int MaxChunk = 2 << 20;

    /// <summary>Smallest dictionary LZMA2 names; smaller ones are rounded up to it.</summary>
    public const uint MinDictionary = 4096;

    private readonly int _length;
    private byte* _memory;
    private int _taken;

    public LzWindow(uint dictionarySize)
    {
        DictionarySize = Math.Max(dictionarySize, MinDictionary);
        // Bytes before the first reset are never read (matches may reach only as far back as Filled), so no need to clear them.
        _length = checked((int)DictionarySize + MaxChunk);
        _memory = (byte*)NativeMemory.Alloc((nuint)_length);
    }

    public uint DictionarySize { get; }

    public Span<byte> Buffer => new(_memory is null ? throw new ObjectDisposedException(nameof(LzWindow)) : _memory, _length);

    /// <summary>Where the next byte goes.</summary>
    public int Position { get; set; }

    /// <summary>Bytes decoded since the dictionary was last reset: how far back a match may reach, and LZMA's position.</summary>
    public long Filled { get; set; }

    /// <summary>Empties the window for a new stream.</summary>
    public void Restart()
    {
        Position = 0;
        _taken = 0;
        Filled = 0;
    }

    /// <summary>Forgets the history; the bytes not yet taken stay.</summary>
    public void Reset() => Filled = 0;

    public void Append(ReadOnlySpan<byte> data)
    {
        var buffer = Buffer;
        var first = Math.Min(data.Length, buffer.Length - Position);
        data[..first].CopyTo(buffer[Position..]);
        data[first..].CopyTo(buffer);
        Position = Position + data.Length >= buffer.Length ? Position + data.Length - buffer.Length : Position + data.Length;
        Filled += data.Length;
    }

    /// <summary>
    /// Repeats <paramref name="length"/> bytes from <paramref name="distance"/> back, at <paramref name="position"/>;
    /// the distance must be within the history. Overlapping repeats (distance below length) are runs: filled or copied in doubling
    /// pieces rather than byte by byte.
    /// </summary>
    public static void CopyMatch(Span<byte> buffer, ref int position, int distance, int length)
    {
        var pos = position;
        var source = pos - distance;
        if (source < 0)
        {
            source += buffer.Length;
        }
        if (source + length <= buffer.Length && pos + length <= buffer.Length)
        {
            if (distance >= length)
            {
                buffer.Slice(source, length).CopyTo(buffer[pos..]);
            }
            else if (distance == 1)
            {
                buffer.Slice(pos, length).Fill(buffer[source]);
            }
            else
            {
                // source < pos here; each piece copies whole periods, so it reads only bytes already in place.
                for (var done = 0; done < length;)
                {
                    var n = Math.Min(length - done, distance + done);
                    buffer.Slice(source, n).CopyTo(buffer[(pos + done)..]);
                    done += n;
                }
            }
            pos += length;
            position = pos == buffer.Length ? 0 : pos;
            return;
        }
        for (var i = 0; i < length; i++)
        {
            buffer[pos] = buffer[source];
            if (++pos == buffer.Length)
            {
                pos = 0;
            }
            if (++source == buffer.Length)
            {
                source = 0;
            }
        }
        position = pos;
    }

    /// <summary>The bytes decoded since the last call, in at most two pieces because the buffer wraps.</summary>
    public void Take(out ReadOnlySpan<byte> first, out ReadOnlySpan<byte> second)
    {
        var buffer = Buffer;
        if (Position >= _taken)
        {
            first = buffer[_taken..Position];
            second = default;
        }
        else
        {
            first = buffer[_taken..];
            second = buffer[..Position];
        }
        _taken = Position;
    }

    public void Dispose()
    {
        NativeMemory.Free(_memory);
        _memory = null;
    }
}
