using System.Runtime.CompilerServices;

namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>Match lengths: 2–9 and 10–17 per position state, 18–273 shared, chosen by two flags.</summary>
internal sealed class LzmaLengthDecoder
{
    private const int LowOffset = 2;
    private const int MidOffset = LowOffset + (16 << 3);
    private const int HighOffset = MidOffset + (16 << 3);
    private readonly ushort[] _probabilities = new ushort[HighOffset + 256];

    public void Reset() => _probabilities.AsSpan().Fill(1024);

    /// <summary>The length minus two (0–271).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Decode(ref RangeDecoder rc, uint positionState)
    {
        var p = _probabilities.AsSpan();
        if (rc.DecodeBit(ref p[0]) == 0)
        {
            return rc.DecodeTree(p.Slice(LowOffset + (int)(positionState << 3), 8), 3);
        }
        if (rc.DecodeBit(ref p[1]) == 0)
        {
            return 8 + rc.DecodeTree(p.Slice(MidOffset + (int)(positionState << 3), 8), 3);
        }
        return 16 + rc.DecodeTree(p.Slice(HighOffset, 256), 8);
    }
}
