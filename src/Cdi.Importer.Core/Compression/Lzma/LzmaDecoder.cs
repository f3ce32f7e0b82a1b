using System.Runtime.CompilerServices;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>
/// LZMA's model (probabilities, state, last four distances) and its symbol loop, decoding one LZMA2 chunk at a time
/// into an <see cref="LzWindow"/>. The model carries over between chunks unless LZMA2 resets it.
/// </summary>
internal sealed class LzmaDecoder
{
    private const int States = 12;
    private const int PositionStatesMax = 16;
    private const int EndPositionModelIndex = 14;
    private const int FullDistances = 128;
    private const int AlignBits = 4;
    private const int LengthToPositionStates = 4;
    private const int PositionSlotBits = 6;

    private readonly ushort[] _isMatch = new ushort[States * PositionStatesMax];
    private readonly ushort[] _isRep = new ushort[States];
    private readonly ushort[] _isRepG0 = new ushort[States];
    private readonly ushort[] _isRepG1 = new ushort[States];
    private readonly ushort[] _isRepG2 = new ushort[States];
    private readonly ushort[] _isRep0Long = new ushort[States * PositionStatesMax];
    private readonly ushort[] _positionSlot = new ushort[LengthToPositionStates << PositionSlotBits];
    // One extra at the front: the reverse trees of the low slots start one before their distance base.
    private readonly ushort[] _positionSpecial = new ushort[FullDistances - EndPositionModelIndex + 1];
    private readonly ushort[] _align = new ushort[1 << AlignBits];
    private readonly ushort[] _literal = new ushort[0x300 << 4];
    private readonly LzmaLengthDecoder _length = new();
    private readonly LzmaLengthDecoder _repLength = new();

    private LzmaProperties _properties;
    private uint _state;
    private uint _rep0;
    private uint _rep1;
    private uint _rep2;
    private uint _rep3;

    /// <summary>Starts over with new properties: all probabilities one half, state and distances zero.</summary>
    public void Reset(LzmaProperties properties)
    {
        _properties = properties;
        foreach (var table in (ReadOnlySpan<ushort[]>)[_isMatch, _isRep, _isRepG0, _isRepG1, _isRepG2, _isRep0Long, _positionSlot, _positionSpecial, _align, _literal])
        {
            table.AsSpan().Fill(1024);
        }
        _length.Reset();
        _repLength.Reset();
        _state = 0;
        _rep0 = _rep1 = _rep2 = _rep3 = 0;
    }

    /// <summary>Decodes exactly <paramref name="size"/> bytes from one chunk's packed bytes, which must be used up exactly.</summary>
    public void DecodeChunk(ReadOnlySpan<byte> packed, LzWindow window, int size)
    {
        var rc = new RangeDecoder(packed);
        var buffer = window.Buffer;
        var pos = window.Position;
        var filled = window.Filled;
        var positionMask = (1u << _properties.PositionBits) - 1;
        var literalPositionMask = (1u << _properties.LiteralPositionBits) - 1;
        var lc = _properties.LiteralContextBits;
        var literal = _literal.AsSpan();
        var state = _state;
        var rep0 = _rep0;
        var rep1 = _rep1;
        var rep2 = _rep2;
        var rep3 = _rep3;
        var left = size;
        // The end marker's distance (all ones) is at least this, so it is refused with every other distance too far back.
        var dictionary = Math.Min(window.DictionarySize, uint.MaxValue - 1);
        while (left > 0)
        {
            var positionState = (uint)filled & positionMask;
            if (rc.DecodeBit(ref _isMatch[(state << 4) + positionState]) == 0)
            {
                uint previous = filled == 0 ? 0u : buffer[(pos == 0 ? buffer.Length : pos) - 1];
                var context = (int)((((uint)filled & literalPositionMask) << lc) + (previous >> (8 - lc)));
                var probabilities = literal.Slice(0x300 * context, 0x300);
                uint symbol = 1;
                if (state >= 7)
                {
                    // After a match the literal is coded against the byte at the last distance, bit by bit while they agree.
                    var back = pos - (int)rep0 - 1;
                    uint matchByte = buffer[back < 0 ? back + buffer.Length : back];
                    do
                    {
                        var matchBit = (matchByte >> 7) & 1;
                        matchByte <<= 1;
                        var bit = rc.DecodeBit(ref probabilities[(int)(((1 + matchBit) << 8) + symbol)]);
                        symbol = (symbol << 1) | bit;
                        if (matchBit != bit)
                        {
                            break;
                        }
                    }
                    while (symbol < 0x100);
                }
                while (symbol < 0x100)
                {
                    symbol = (symbol << 1) | rc.DecodeBit(ref probabilities[(int)symbol]);
                }
                buffer[pos] = (byte)symbol;
                if (++pos == buffer.Length)
                {
                    pos = 0;
                }
                filled++;
                left--;
                state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
                continue;
            }

            int count;
            if (rc.DecodeBit(ref _isRep[state]) == 0)
            {
                rep3 = rep2;
                rep2 = rep1;
                rep1 = rep0;
                var length = _length.Decode(ref rc, positionState);
                state = state < 7 ? 7u : 10u;
                rep0 = DecodeDistance(ref rc, length);
                count = (int)length + 2;
            }
            else
            {
                var single = false;
                if (rc.DecodeBit(ref _isRepG0[state]) == 0)
                {
                    single = rc.DecodeBit(ref _isRep0Long[(state << 4) + positionState]) == 0;
                }
                else
                {
                    uint distance;
                    if (rc.DecodeBit(ref _isRepG1[state]) == 0)
                    {
                        distance = rep1;
                    }
                    else
                    {
                        if (rc.DecodeBit(ref _isRepG2[state]) == 0)
                        {
                            distance = rep2;
                        }
                        else
                        {
                            distance = rep3;
                            rep3 = rep2;
                        }
                        rep2 = rep1;
                    }
                    rep1 = rep0;
                    rep0 = distance;
                }
                if (single)
                {
                    // One byte from the last distance.
                    state = state < 7 ? 9u : 11u;
                    count = 1;
                }
                else
                {
                    count = (int)_repLength.Decode(ref rc, positionState) + 2;
                    state = state < 7 ? 8u : 11u;
                }
            }
            // rep0 is the distance minus one; the end marker (all ones) has no place inside an LZMA2 chunk.
            if (rep0 >= dictionary || rep0 >= filled)
            {
                LzmaError.Throw("a match reaches before the start of the data");
            }
            if (count > left)
            {
                LzmaError.Throw("a match runs past the end of its chunk");
            }
            LzWindow.CopyMatch(buffer, ref pos, (int)rep0 + 1, count);
            filled += count;
            left -= count;
        }
        _state = state;
        _rep0 = rep0;
        _rep1 = rep1;
        _rep2 = rep2;
        _rep3 = rep3;
        window.Position = pos;
        window.Filled = filled;
        if (!rc.Finished)
        {
            LzmaError.Throw(rc.Overrun ? "an LZMA chunk needs more bytes than it has" : "an LZMA chunk has bytes left over");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint DecodeDistance(ref RangeDecoder rc, uint length)
    {
        var lengthState = (int)Math.Min(length, LengthToPositionStates - 1);
        var slot = rc.DecodeTree(_positionSlot.AsSpan(lengthState << PositionSlotBits, 1 << PositionSlotBits), PositionSlotBits);
        if (slot < 4)
        {
            return slot;
        }
        var direct = (int)(slot >> 1) - 1;
        var distance = (2 | (slot & 1)) << direct;
        if (slot < EndPositionModelIndex)
        {
            return distance + rc.DecodeReverseTree(_positionSpecial.AsSpan((int)(distance - slot)), direct);
        }
        distance += rc.DecodeDirect(direct - AlignBits) << AlignBits;
        return distance + rc.DecodeReverseTree(_align, AlignBits);
    }
}
