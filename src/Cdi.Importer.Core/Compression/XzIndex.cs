using System.Buffers.Binary;
using Cdi.Importer.Core.Native;
using Cdi.Importer.Core.Sources;

namespace Cdi.Importer.Core.Compression;

/// <summary>
/// The block map of an xz file, read from its end: stream footer, index, stream header, for every concatenated stream
/// (with stream padding). It only tells where blocks lie; the bytes themselves are verified as each block decodes
/// (block headers, sizes, checks). Anything unexpected gives no map, and the file is decoded as one stream instead, which
/// reports the problem precisely.
/// </summary>
internal sealed class XzIndex
{
    public const int HeaderSize = 12;
    private const int FooterSize = 12;

    // Bounds for what an index may make us hold: beyond them the stream decoder takes over.
    private const int MaxIndexBytes = 16 << 20;
    private const int MaxBlocks = 1 << 20;
    private const int MaxStreams = 4096;
    private const int MaxPadding = 64 << 10;
    private static ReadOnlySpan<byte> HeaderMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private XzIndex(IReadOnlyList<XzBlock> blocks, long fileLength)
    {
        Blocks = blocks;
        UncompressedSize = blocks.Count == 0 ? 0 : blocks[^1].UncompressedOffset + blocks[^1].UncompressedSize;
        MetadataBytes = fileLength - blocks.Sum(b => b.TotalSize);
    }

    public IReadOnlyList<XzBlock> Blocks { get; }

    public long UncompressedSize { get; }

    /// <summary>Stream headers, indexes, footers and padding: the bytes of the file outside its blocks.</summary>
    public long MetadataBytes { get; }

    public static async Task<XzIndex?> TryReadAsync(IRandomAccessReader reader, CancellationToken cancellationToken)
    {
        var streams = new List<List<(long Offset, long Total, long Uncompressed, byte[] Header)>>();
        var blocks = 0;
        var end = reader.Length;
        var word = new byte[4];
        while (end > 0)
        {
            if (streams.Count == MaxStreams)
            {
                return null;
            }
            // Stream padding: zero bytes in multiples of four after a stream.
            for (var padding = 0; end >= 4; padding += 4)
            {
                if (padding > MaxPadding)
                {
                    return null;
                }
                await reader.ReadExactlyAtAsync(end - 4, word, cancellationToken).ConfigureAwait(false);
                if (BinaryPrimitives.ReadUInt32LittleEndian(word) != 0)
                {
                    break;
                }
                end -= 4;
            }
            if (end < HeaderSize + FooterSize || end % 4 != 0)
            {
                return null;
            }
            var footer = new byte[FooterSize];
            await reader.ReadExactlyAtAsync(end - FooterSize, footer, cancellationToken).ConfigureAwait(false);
            if (footer[10] != 'Y' || footer[11] != 'Z' || XzCheck.Crc32(footer.AsSpan(4, 6)) != BinaryPrimitives.ReadUInt32LittleEndian(footer))
            {
                return null;
            }
            var indexSize = ((long)BinaryPrimitives.ReadUInt32LittleEndian(footer.AsSpan(4)) + 1) * 4;
            var indexStart = end - FooterSize - indexSize;
            if (indexSize > MaxIndexBytes || indexStart < HeaderSize)
            {
                return null;
            }
            var index = new byte[indexSize];
            await reader.ReadExactlyAtAsync(indexStart, index, cancellationToken).ConfigureAwait(false);
            var records = ParseIndex(index, MaxBlocks - blocks);
            if (records is null)
            {
                return null;
            }
            long stored = 0;
            foreach (var (unpadded, _) in records)
            {
                stored += (unpadded + 3) & ~3L;
            }
            var streamStart = indexStart - stored - HeaderSize;
            if (streamStart < 0)
            {
                return null;
            }
            var header = new byte[HeaderSize];
            await reader.ReadExactlyAtAsync(streamStart, header, cancellationToken).ConfigureAwait(false);
            if (!header.AsSpan(0, 6).SequenceEqual(HeaderMagic) || XzCheck.Crc32(header.AsSpan(6, 2)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8))
                || header[6] != footer[8] || header[7] != footer[9])
            {
                return null;
            }
            var stream = new List<(long, long, long, byte[])>(records.Count);
            var offset = streamStart + HeaderSize;
            foreach (var (unpadded, uncompressed) in records)
            {
                var total = (unpadded + 3) & ~3L;
                stream.Add((offset, total, uncompressed, header));
                offset += total;
            }
            streams.Add(stream);
            blocks += records.Count;
            end = streamStart;
        }

        var result = new List<XzBlock>(blocks);
        long output = 0;
        for (var s = streams.Count - 1; s >= 0; s--)
        {
            foreach (var (offset, total, uncompressed, header) in streams[s])
            {
                result.Add(new XzBlock(offset, total, output, uncompressed, header));
                output += uncompressed;
            }
        }
        return new XzIndex(result, reader.Length);
    }

    /// <summary>The (unpadded size, uncompressed size) records of one index, or null if it is not a valid index.</summary>
    private static List<(long Unpadded, long Uncompressed)>? ParseIndex(ReadOnlySpan<byte> index, int maxRecords)
    {
        if (index.Length < 8 || index[0] != 0 || XzCheck.Crc32(index[..^4]) != BinaryPrimitives.ReadUInt32LittleEndian(index[^4..]))
        {
            return null;
        }
        var pos = 1;
        if (!TryReadVli(index, ref pos, out var count) || count > (ulong)maxRecords)
        {
            return null;
        }
        var records = new List<(long, long)>((int)count);
        long totalOut = 0;
        for (ulong i = 0; i < count; i++)
        {
            // An unpadded size covers at least a minimal header and a check; sizes beyond 2^62 cannot be real files.
            if (!TryReadVli(index, ref pos, out var unpadded) || !TryReadVli(index, ref pos, out var uncompressed)
                || unpadded < 5 || unpadded > (1UL << 62) || uncompressed > (1UL << 62))
            {
                return null;
            }
            totalOut += (long)uncompressed;
            if (totalOut > (1L << 62))
            {
                return null;
            }
            records.Add(((long)unpadded, (long)uncompressed));
        }
        // Then zero padding to a multiple of four, then the CRC32.
        while (pos % 4 != 0)
        {
            if (pos >= index.Length - 4 || index[pos] != 0)
            {
                return null;
            }
            pos++;
        }
        return pos == index.Length - 4 ? records : null;
    }

    /// <summary>xz's variable-length integer: 7 bits per byte, little-endian, at most nine bytes, no trailing zero byte.</summary>
    private static bool TryReadVli(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (var i = 0; i < 9; i++)
        {
            if (pos >= data.Length - 4)
            {
                return false;
            }
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return i == 0 || b != 0;
            }
        }
        return false;
    }
}
