using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>
/// LZMA's binary range decoder over one chunk of packed bytes. Reading past the chunk yields zeros and is caught
/// afterwards by <see cref="Finished"/>, so the hot path needs no per-byte failure branch. Every method, and every
/// method of the model that takes it by reference, is inlined into the symbol loop: a single call that kept its
/// address would put its fields in memory for the whole loop (binary-heavy xz 5.76 → 5.48 s; liblzma 4.85 s).
/// </summary>
internal ref struct RangeDecoder
{
    private const int ProbabilityBits = 11;
    private const uint ProbabilityOne = 1 << ProbabilityBits;
    private const int MoveBits = 5;
    private const uint Top = 1 << 24;

    private readonly ReadOnlySpan<byte> _input;
    private int _position;
    private uint _range;
    private uint _code;

    public RangeDecoder(ReadOnlySpan<byte> input)
    {
        // The encoder's first byte is always zero; four more bytes prime the code.
        if (input.Length < 5 || input[0] != 0)
        {
            LzmaError.Throw("an LZMA chunk does not start like one");
        }
        _input = input;
        _code = BinaryPrimitives.ReadUInt32BigEndian(input[1..]);
        _range = uint.MaxValue;
        _position = 5;
        if (_code == _range)
        {
            LzmaError.Throw("an LZMA chunk does not start like one");
        }
    }

    /// <summary>True when the chunk was consumed exactly and the encoder's final flush matched.</summary>
    public readonly bool Finished => _position == _input.Length && _code == 0;

    /// <summary>True once decoding ran past the chunk's packed bytes.</summary>
    public readonly bool Overrun => _position > _input.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint DecodeBit(ref ushort probability)
    {
        uint p = probability;
        uint bound = (_range >> ProbabilityBits) * p;
        uint bit;
        if (_code < bound)
        {
            _range = bound;
            probability = (ushort)(p + ((ProbabilityOne - p) >> MoveBits));
            bit = 0;
        }
        else
        {
            _range -= bound;
            _code -= bound;
            probability = (ushort)(p - (p >> MoveBits));
            bit = 1;
        }
        if (_range < Top)
        {
            Shift();
        }
        return bit;
    }

    /// <summary>Decodes <paramref name="bits"/> bits (1 to 8) through a tree of probabilities starting at index 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint DecodeTree(Span<ushort> probabilities, int bits)
    {
        uint m = 1;
        for (var i = 0; i < bits; i++)
        {
            m = (m << 1) | DecodeBit(ref probabilities[(int)m]);
        }
        return m - (1u << bits);
    }

    /// <summary>Like <see cref="DecodeTree"/> with the least significant bit first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint DecodeReverseTree(Span<ushort> probabilities, int bits)
    {
        uint m = 1;
        uint result = 0;
        for (var i = 0; i < bits; i++)
        {
            var bit = DecodeBit(ref probabilities[(int)m]);
            m = (m << 1) | bit;
            result |= bit << i;
        }
        return result;
    }

    /// <summary>Bits coded with fixed probability one half (the middle bits of long distances).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint DecodeDirect(int bits)
    {
        uint result = 0;
        for (var i = 0; i < bits; i++)
        {
            // Each bit is a coin toss, so a branch would mispredict half the time: subtract, then add back on borrow.
            _range >>= 1;
            _code -= _range;
            var borrow = 0u - (_code >> 31);
            _code += _range & borrow;
            result = (result << 1) + (borrow + 1);
            if (_range < Top)
            {
                Shift();
            }
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Shift()
    {
        var p = _position++;
        _range <<= 8;
        _code = (_code << 8) | ((uint)p < (uint)_input.Length ? _input[p] : 0u);
    }
}
