using System.Buffers.Binary;
using System.Numerics;

namespace Cdi.Importer.Core.Formats.Vhdx;

/// <summary>CRC-32C (Castagnoli) as VHDX uses it, on the CPU's CRC32 instruction where there is one.</summary>
internal static class Crc32C
{
    /// <summary>CRC of <paramref name="data"/> with the 4-byte field at <paramref name="zeroedOffset"/> taken as zero.</summary>
    public static uint Compute(ReadOnlySpan<byte> data, int zeroedOffset)
    {
        uint crc = Update(uint.MaxValue, data[..zeroedOffset]);
        crc = BitOperations.Crc32C(crc, 0u);
        crc = Update(crc, data[(zeroedOffset + 4)..]);
        return ~crc;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
