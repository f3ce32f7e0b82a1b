using Cdi.Importer.Core.Native;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// Reads the LZMA2 dictionary size out of the xz block header that just tripped the memory limit, because liblzma's threaded
/// decoder reports only what it holds, not what the refused block would need, and "needs 1.5 GiB" is what tells people which
/// limit to raise.
/// </summary>
internal static unsafe class XzBlockHeader
{
    /// <summary>Largest xz block header: (255 + 1) * 4 bytes.</summary>
    public const int MaxSize = 1024;

    private const ulong Lzma2FilterId = 0x21;

    /// <param name="consumed">The most recent input liblzma consumed; liblzma stops right after the header it refuses.</param>
    public static bool TryReadDictionarySize(ReadOnlySpan<byte> consumed, out ulong dictionarySize)
    {
        dictionarySize = 0;
        for (int size = 8; size <= Math.Min(MaxSize, consumed.Length); size += 4)
        {
            var header = consumed[^size..];
            if (header[0] != (size / 4) - 1 || !CrcMatches(header))
            {
                continue;
            }

            return TryParseFilters(header[..^4], out dictionarySize);
        }

        return false;
    }

    /// <summary>
    /// Reads a whole block header (size byte to CRC32) whose one filter is LZMA2, as xz writes by default. False for
    /// any other header, valid or not: those go to liblzma, which knows every filter and reports damage precisely.
    /// </summary>
    public static bool TryParseLzma2Only(ReadOnlySpan<byte> header, out uint dictionarySize, out XzBlockSizes listed)
    {
        dictionarySize = 0;
        listed = default;
        long? compressedSize = null;
        long? uncompressedSize = null;
        if (header.Length < 8 || header.Length > MaxSize || header.Length != (header[0] + 1) * 4 || !CrcMatches(header))
        {
            return false;
        }
        var flags = header[1];
        // One filter, no reserved bits.
        if ((flags & 0x3F) != 0)
        {
            return false;
        }
        var body = header[..^4];
        var p = 2;
        if ((flags & 0x40) != 0)
        {
            if (!TryReadVli(body, ref p, out var value) || value == 0 || value > long.MaxValue)
            {
                return false;
            }
            compressedSize = (long)value;
        }
        if ((flags & 0x80) != 0)
        {
            if (!TryReadVli(body, ref p, out var value) || value > long.MaxValue)
            {
                return false;
            }
            uncompressedSize = (long)value;
        }
        if (!TryReadVli(body, ref p, out var id) || id != Lzma2FilterId || !TryReadVli(body, ref p, out var propertiesSize)
            || propertiesSize != 1 || p >= body.Length || body[p] > 40)
        {
            return false;
        }
        listed = new XzBlockSizes(compressedSize, uncompressedSize);
        int d = body[p++];
        dictionarySize = d == 40 ? uint.MaxValue : (uint)((2UL | ((uint)d & 1)) << ((d / 2) + 11));
        // The rest up to the CRC is padding, which must be zero.
        return !body[p..].ContainsAnyExcept((byte)0);
    }

    private static bool CrcMatches(ReadOnlySpan<byte> header)
    {
        uint stored = (uint)(header[^4] | (header[^3] << 8) | (header[^2] << 16) | (header[^1] << 24));
        return XzCheck.Crc32(header[..^4]) == stored;
    }

    private static bool TryParseFilters(ReadOnlySpan<byte> header, out ulong dictionarySize)
    {
        dictionarySize = 0;
        byte flags = header[1];
        int p = 2;
        if ((flags & 0x40) != 0 && !TrySkipVli(header, ref p))
        {
            return false;
        }

        if ((flags & 0x80) != 0 && !TrySkipVli(header, ref p))
        {
            return false;
        }

        int filters = (flags & 0x03) + 1;
        for (int i = 0; i < filters; i++)
        {
            if (!TryReadVli(header, ref p, out ulong id) || !TryReadVli(header, ref p, out ulong propertiesSize)
                || propertiesSize > (ulong)(header.Length - p))
            {
                return false;
            }

            if (id == Lzma2FilterId && propertiesSize == 1 && header[p] <= 40)
            {
                int d = header[p];
                dictionarySize = d == 40 ? uint.MaxValue : (2UL | ((uint)d & 1)) << ((d / 2) + 11);
                return true;
            }

            p += (int)propertiesSize;
        }

        return false;
    }

    private static bool TrySkipVli(ReadOnlySpan<byte> header, ref int p) => TryReadVli(header, ref p, out _);

    private static bool TryReadVli(ReadOnlySpan<byte> header, ref int p, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 63 && p < header.Length; shift += 7)
        {
            byte b = header[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
