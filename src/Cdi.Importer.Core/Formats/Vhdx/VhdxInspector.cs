using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Vhdx;

/// <summary>
/// VHDX (MS-VHDX 1.0): the current header of the two, the region table, and the metadata items that give size and geometry.
/// Differencing disks (HasParent, parent locator) are refused; every count is capped before anything is read by it.
/// </summary>
internal static class VhdxInspector
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;
    private const int HeaderSize = 4 * KiB;
    private const int RegionTableSize = 64 * KiB;
    private const int MaxEntries = 2047;
    private const ulong MaxVirtualSize = 64UL * 1024 * 1024 * MiB;

    private const uint HeaderSignature = 0x64616568; // "head"
    private const uint RegionSignature = 0x69676572; // "regi"

    private const uint MetadataIsRequired = 1 << 2;
    private const uint FileParametersHasParent = 1 << 1;

    private static readonly Guid BatRegion = new("2DC27766-F623-4200-9D64-115E9BFD4A08");
    private static readonly Guid MetadataRegion = new("8B7CA206-4790-4B9A-B8FE-575F050F886E");
    private static readonly Guid FileParameters = new("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    private static readonly Guid VirtualDiskSize = new("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    private static readonly Guid Page83Data = new("BECA12AB-B2E6-4523-93EF-C309E000C746");
    private static readonly Guid LogicalSectorSize = new("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    private static readonly Guid PhysicalSectorSize = new("CDA348C7-445D-4471-9CC9-E9885251C556");
    private static readonly Guid ParentLocator = new("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");

    private static ReadOnlySpan<byte> FileSignature => "vhdxfile"u8;
    private static ReadOnlySpan<byte> MetadataSignature => "metadata"u8;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> signature = stackalloc byte[8];
        reader.Read(0, signature);
        if (!signature.SequenceEqual(FileSignature))
        {
            throw Corrupt("vhdx file identifier is missing");
        }

        CheckHeaders(reader);
        var (_, batLength, metadataOffset, metadataLength) = ReadRegionTable(reader);
        return ReadMetadata(reader, metadataOffset, metadataLength, batLength);
    }

    private static void CheckHeaders(ImageReader reader)
    {
        byte[] first = reader.Read(64 * KiB, HeaderSize);
        byte[] second = reader.Read(128 * KiB, HeaderSize);
        bool firstValid = IsValidHeader(first);
        bool secondValid = IsValidHeader(second);
        if (!firstValid && !secondValid)
        {
            throw Corrupt("vhdx has no valid header");
        }

        var current = !secondValid || (firstValid && Sequence(first) >= Sequence(second)) ? first : second;
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(current.AsSpan(66));
        if (version != 1)
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, $"vhdx version {version} is not supported");
        }

        uint logLength = BinaryPrimitives.ReadUInt32LittleEndian(current.AsSpan(68));
        ulong logOffset = BinaryPrimitives.ReadUInt64LittleEndian(current.AsSpan(72));
        if (logLength % MiB != 0 || logOffset % MiB != 0 || logOffset > long.MaxValue || !reader.Contains((long)logOffset, logLength))
        {
            throw Corrupt("vhdx log lies outside the file");
        }
    }

    private static bool IsValidHeader(ReadOnlySpan<byte> header) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header) == HeaderSignature
        && BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == Crc32C.Compute(header, 4);

    private static ulong Sequence(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);

    private static (long BatOffset, long BatLength, long MetadataOffset, long MetadataLength) ReadRegionTable(ImageReader reader)
    {
        byte[] table = reader.Read(192 * KiB, RegionTableSize);
        if (!IsValidRegionTable(table))
        {
            table = reader.Read(256 * KiB, RegionTableSize);
            if (!IsValidRegionTable(table))
            {
                throw Corrupt("vhdx has no valid region table");
            }
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(8));
        if (count > MaxEntries)
        {
            throw Corrupt($"vhdx region table claims {count} entries");
        }

        long batOffset = -1, batLength = 0, metadataOffset = -1, metadataLength = 0;
        for (int i = 0; i < count; i++)
        {
            var entry = table.AsSpan(16 + (i * 32), 32);
            var id = new Guid(entry[..16]);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]);
            bool required = (BinaryPrimitives.ReadUInt32LittleEndian(entry[28..]) & 1) != 0;
            if (offset % MiB != 0 || length % MiB != 0 || offset < MiB || offset > long.MaxValue || !reader.Contains((long)offset, length))
            {
                throw Corrupt("vhdx region lies outside the file");
            }

            if (id == BatRegion)
            {
                batOffset = batOffset < 0 ? (long)offset : throw Corrupt("vhdx region table lists the block table twice");
                batLength = length;
            }
            else if (id == MetadataRegion)
            {
                metadataOffset = metadataOffset < 0 ? (long)offset : throw Corrupt("vhdx region table lists the metadata twice");
                metadataLength = length;
            }
            else if (required)
            {
                throw new ImportException(ImportFailureReason.UnknownFeature, $"vhdx required region {id} is not understood");
            }
        }

        if (batOffset < 0 || metadataOffset < 0)
        {
            throw Corrupt("vhdx region table lacks the block table or the metadata");
        }

        return (batOffset, batLength, metadataOffset, metadataLength);
    }

    private static bool IsValidRegionTable(ReadOnlySpan<byte> table) =>
        BinaryPrimitives.ReadUInt32LittleEndian(table) == RegionSignature
        && BinaryPrimitives.ReadUInt32LittleEndian(table[4..]) == Crc32C.Compute(table, 4);

    private static long ReadMetadata(ImageReader reader, long regionOffset, long regionLength, long batLength)
    {
        byte[] table = reader.Read(regionOffset, 64 * KiB);
        if (!table.AsSpan(0, 8).SequenceEqual(MetadataSignature))
        {
            throw Corrupt("vhdx metadata table signature is missing");
        }

        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(10));
        if (count > MaxEntries)
        {
            throw Corrupt($"vhdx metadata table claims {count} entries");
        }

        uint? blockSize = null, logicalSector = null, physicalSector = null;
        ulong? diskSize = null;
        bool page83 = false;
        Span<byte> item = stackalloc byte[8];
        for (int i = 0; i < count; i++)
        {
            var entry = table.AsSpan(32 + (i * 32), 32);
            var id = new Guid(entry[..16]);
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[20..]);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]);
            if (length > 0 && (offset < 64 * KiB || (long)offset + length > regionLength))
            {
                throw Corrupt("vhdx metadata item lies outside the metadata region");
            }

            if (id == ParentLocator)
            {
                throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vhdx parent locator (backing file) is not allowed");
            }

            int needed = id == FileParameters || id == VirtualDiskSize ? 8 : id == LogicalSectorSize || id == PhysicalSectorSize ? 4 : 0;
            if (id == Page83Data)
            {
                page83 = length >= 16 ? true : throw Corrupt("vhdx page 83 metadata is too short");
                continue;
            }

            if (needed == 0)
            {
                if ((flags & MetadataIsRequired) != 0)
                {
                    throw new ImportException(ImportFailureReason.UnknownFeature, $"vhdx required metadata item {id} is not understood");
                }

                continue;
            }

            if (length < needed)
            {
                throw Corrupt("vhdx metadata item is too short");
            }

            var value = item[..needed];
            reader.Read(regionOffset + offset, value);
            if (id == FileParameters)
            {
                blockSize = blockSize is null ? BinaryPrimitives.ReadUInt32LittleEndian(value) : throw Duplicate();
                if ((BinaryPrimitives.ReadUInt32LittleEndian(value[4..]) & FileParametersHasParent) != 0)
                {
                    throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vhdx differencing (backing) images are not allowed");
                }
            }
            else if (id == VirtualDiskSize)
            {
                diskSize = diskSize is null ? BinaryPrimitives.ReadUInt64LittleEndian(value) : throw Duplicate();
            }
            else if (id == LogicalSectorSize)
            {
                logicalSector = logicalSector is null ? BinaryPrimitives.ReadUInt32LittleEndian(value) : throw Duplicate();
            }
            else
            {
                physicalSector = physicalSector is null ? BinaryPrimitives.ReadUInt32LittleEndian(value) : throw Duplicate();
            }
        }

        if (blockSize is not { } block || diskSize is not { } size || logicalSector is not { } logical || physicalSector is not { } physical || !page83)
        {
            throw Corrupt("vhdx metadata lacks a required item");
        }

        if (block is < MiB or > 256 * MiB || (block & (block - 1)) != 0)
        {
            throw Corrupt($"vhdx block size {block} is invalid");
        }

        if (logical is not (512 or 4096) || physical is not (512 or 4096))
        {
            throw Corrupt("vhdx sector size is invalid");
        }

        if (size == 0 || size > MaxVirtualSize || size % logical != 0)
        {
            throw Corrupt($"vhdx virtual disk size {size} is invalid");
        }

        // Payload blocks plus one sector-bitmap entry per chunk must fit in the block table region.
        ulong chunkRatio = (1UL << 23) * logical / block;
        ulong dataBlocks = (size + block - 1) / block;
        ulong batEntries = dataBlocks + ((dataBlocks - 1) / chunkRatio);
        if (batEntries * 8 > (ulong)batLength)
        {
            throw Corrupt("vhdx block table region is too small for the disk size");
        }

        return (long)size;
    }

    private static ImportException Duplicate() => Corrupt("vhdx metadata item appears twice");

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);
}
