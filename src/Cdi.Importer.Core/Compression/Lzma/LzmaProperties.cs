namespace Cdi.Importer.Core.Compression.Lzma;

/// <summary>LZMA's literal context bits, literal position bits and position bits, from their one-byte form.</summary>
internal readonly record struct LzmaProperties(int LiteralContextBits, int LiteralPositionBits, int PositionBits)
{
    public static LzmaProperties Parse(byte value)
    {
        // (pb * 5 + lp) * 9 + lc; LZMA2 further requires lc + lp <= 4, which also bounds the literal tables.
        if (value >= 9 * 5 * 5)
        {
            LzmaError.Throw("invalid LZMA properties");
        }
        var lc = value % 9;
        var lp = value / 9 % 5;
        var pb = value / 45;
        if (lc + lp > 4)
        {
            LzmaError.Throw("invalid LZMA properties");
        }
        return new LzmaProperties(lc, lp, pb);
    }
}
