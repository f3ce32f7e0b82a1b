using System.Buffers.Binary;

namespace Cdi.Importer.Core.Formats.Vmdk;

/// <summary>The little-endian hosted sparse extent header ("KDMV"), as found at offset 0 and again in a streamOptimized footer.</summary>
internal readonly record struct VmdkSparseHeader(
    uint Version,
    uint Flags,
    ulong CapacitySectors,
    ulong GrainSectors,
    ulong DescriptorOffset,
    ulong DescriptorSectors,
    uint GrainTableEntries,
    ulong GrainDirectoryOffset,
    ushort CompressAlgorithm)
{
    public const int Size = 512;

    /// <summary>gdOffset value meaning "the real header is the footer at the end of the file" (streamOptimized).</summary>
    public const ulong GrainDirectoryAtEnd = ulong.MaxValue;

    public static ReadOnlySpan<byte> Magic => "KDMV"u8;

    public static bool TryParse(ReadOnlySpan<byte> sector, out VmdkSparseHeader header)
    {
        header = default;
        if (sector.Length < Size || !sector.StartsWith(Magic))
        {
            return false;
        }

        header = new VmdkSparseHeader(
            Version: BinaryPrimitives.ReadUInt32LittleEndian(sector[4..]),
            Flags: BinaryPrimitives.ReadUInt32LittleEndian(sector[8..]),
            CapacitySectors: BinaryPrimitives.ReadUInt64LittleEndian(sector[12..]),
            GrainSectors: BinaryPrimitives.ReadUInt64LittleEndian(sector[20..]),
            DescriptorOffset: BinaryPrimitives.ReadUInt64LittleEndian(sector[28..]),
            DescriptorSectors: BinaryPrimitives.ReadUInt64LittleEndian(sector[36..]),
            GrainTableEntries: BinaryPrimitives.ReadUInt32LittleEndian(sector[44..]),
            GrainDirectoryOffset: BinaryPrimitives.ReadUInt64LittleEndian(sector[56..]),
            CompressAlgorithm: BinaryPrimitives.ReadUInt16LittleEndian(sector[77..]));
        return true;
    }
}
