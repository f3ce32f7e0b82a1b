using System.Buffers.Binary;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>
/// LZMA2: a sequence of chunks, each either stored bytes or LZMA data, with flags that reset the dictionary, the
/// model or its properties. One whole chunk (at most <see cref="MaxChunkBytes"/> bytes) is decoded per call, so the
/// caller needs no resumable state, only a buffer that can hold a chunk.
/// </summary>
internal sealed class Lzma2Decoder(uint dictionarySize) : IDisposable
{
    /// <summary>Largest chunk as stored: six header bytes and 64 KiB of packed data.</summary>
    public const int MaxChunkBytes = 6 + (1 << 16);

    private readonly LzmaDecoder _lzma = new();
    private LzmaProperties _properties;
    private bool _needDictionaryReset = true;
    private bool _needProperties = true;

    public LzWindow Window { get; } = new(dictionarySize);

    /// <summary>True once the end marker was read.</summary>
    public bool Ended { get; private set; }

    /// <summary>Makes ready for a new LZMA2 stream with the same dictionary size, keeping the memory; false for another size.</summary>
    public bool TryRestart(uint dictionarySize)
    {
        if (Math.Max(dictionarySize, LzWindow.MinDictionary) != Window.DictionarySize)
        {
            return false;
        }
        Window.Restart();
        Ended = false;
        _needDictionaryReset = true;
        _needProperties = true;
        return true;
    }

    /// <summary>
    /// Decodes the chunk at the start of <paramref name="input"/> if all of it is there and returns its size; returns 0
    /// and changes nothing when more input is needed. The decoded bytes are then in <see cref="LzWindow.Take"/>.
    /// </summary>
    public int DecodeChunk(ReadOnlySpan<byte> input)
    {
        if (Ended)
        {
            throw new InvalidOperationException("the LZMA2 data already ended");
        }
        if (input.IsEmpty)
        {
            return 0;
        }
        var control = input[0];
        if (control == 0)
        {
            Ended = true;
            return 1;
        }
        if (control is > 2 and < 0x80)
        {
            LzmaError.Throw("invalid LZMA2 chunk type");
        }
        var resetsDictionary = control == 1 || control >= 0xE0;
        if (_needDictionaryReset && !resetsDictionary)
        {
            LzmaError.Throw("LZMA2 data does not start with a dictionary reset");
        }
        if (control < 0x80)
        {
            if (input.Length < 3)
            {
                return 0;
            }
            var storedSize = BinaryPrimitives.ReadUInt16BigEndian(input[1..]) + 1;
            if (input.Length < 3 + storedSize)
            {
                return 0;
            }
            ResetDictionary(resetsDictionary);
            Window.Append(input.Slice(3, storedSize));
            return 3 + storedSize;
        }

        var headerSize = control >= 0xC0 ? 6 : 5;
        if (input.Length < headerSize)
        {
            return 0;
        }
        var size = ((control & 0x1F) << 16) + BinaryPrimitives.ReadUInt16BigEndian(input[1..]) + 1;
        var packedSize = BinaryPrimitives.ReadUInt16BigEndian(input[3..]) + 1;
        if (input.Length < headerSize + packedSize)
        {
            return 0;
        }
        ResetDictionary(resetsDictionary);
        if (control >= 0xC0)
        {
            _properties = LzmaProperties.Parse(input[5]);
            _needProperties = false;
            _lzma.Reset(_properties);
        }
        else if (_needProperties)
        {
            LzmaError.Throw("an LZMA2 chunk lacks the properties it needs");
        }
        else if (control >= 0xA0)
        {
            _lzma.Reset(_properties);
        }
        _lzma.DecodeChunk(input.Slice(headerSize, packedSize), Window, size);
        return headerSize + packedSize;
    }

    public void Dispose() => Window.Dispose();

    private void ResetDictionary(bool reset)
    {
        if (reset)
        {
            Window.Reset();
            _needDictionaryReset = false;
            // A stored chunk cannot carry properties, so the LZMA chunk after a reset must bring them.
            _needProperties = true;
        }
    }
}
