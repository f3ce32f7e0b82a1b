using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Vmdk;

/// <summary>
/// Hosted sparse VMDK ("KDMV"): monolithicSparse or streamOptimized only, with the descriptor embedded at sector 1.
/// streamOptimized files written front to back keep the real header in a footer, which qemu prefers; it must agree with the
/// front header so that what was checked is what qemu uses.
/// </summary>
internal static class VmdkInspector
{
    private const int SectorSize = 512;
    private const ulong MaxDescriptorSectors = 2048;
    private const ulong MaxGrainSectors = 0x200000;
    private const uint MaxGrainTableEntries = 512;
    private const uint MarkerEndOfStream = 0;
    private const uint MarkerFooter = 3;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> sector = stackalloc byte[SectorSize];
        reader.Read(0, sector);
        if (!VmdkSparseHeader.TryParse(sector, out var header))
        {
            throw Corrupt("vmdk sparse header is missing");
        }

        CheckHeader(header);
        if (header.GrainDirectoryOffset == VmdkSparseHeader.GrainDirectoryAtEnd)
        {
            CheckFooter(reader, header);
        }

        int descriptorBytes = (int)header.DescriptorSectors * SectorSize;
        byte[] descriptor = reader.Read((long)header.DescriptorOffset * SectorSize, descriptorBytes);
        VmdkDescriptor.Validate(descriptor, header.CapacitySectors);
        return (long)header.CapacitySectors * SectorSize;
    }

    private static void CheckHeader(VmdkSparseHeader header)
    {
        if (header.Version is < 1 or > 3)
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, $"vmdk version {header.Version} is not supported");
        }

        // With zero capacity qemu ignores the sparse extent and opens the extents the embedded descriptor names instead.
        if (header.CapacitySectors == 0)
        {
            throw new ImportException(ImportFailureReason.ExternalReference, "vmdk with zero capacity defers to descriptor extents, which is not allowed");
        }

        if (header.CapacitySectors > long.MaxValue / SectorSize)
        {
            throw Corrupt("vmdk capacity is out of range");
        }

        if (header.DescriptorOffset != 1)
        {
            throw Corrupt("vmdk descriptor must start at sector 1");
        }

        if (header.DescriptorSectors is 0 or > MaxDescriptorSectors)
        {
            throw Corrupt($"vmdk descriptor size of {header.DescriptorSectors} sectors is invalid");
        }

        if (header.GrainSectors is 0 or > MaxGrainSectors || (header.GrainSectors & (header.GrainSectors - 1)) != 0)
        {
            throw Corrupt($"vmdk grain size of {header.GrainSectors} sectors is invalid");
        }

        if (header.GrainTableEntries is 0 or > MaxGrainTableEntries)
        {
            throw Corrupt($"vmdk grain table size of {header.GrainTableEntries} entries is invalid");
        }

        if (header.CompressAlgorithm > 1)
        {
            throw new ImportException(ImportFailureReason.UnsupportedSubformat, $"vmdk compression algorithm {header.CompressAlgorithm} is not supported");
        }
    }

    // Layout at the end: footer marker sector, footer header sector, end-of-stream marker sector.
    private static void CheckFooter(ImageReader reader, VmdkSparseHeader header)
    {
        if (reader.Length < 4 * SectorSize || reader.Length % SectorSize != 0)
        {
            throw Corrupt("vmdk streamOptimized footer is missing");
        }

        byte[] tail = reader.Read(reader.Length - (3 * SectorSize), 3 * SectorSize);
        var marker = tail.AsSpan(0, SectorSize);
        var eos = tail.AsSpan(2 * SectorSize, SectorSize);
        bool markersValid = BinaryPrimitives.ReadUInt32LittleEndian(marker[8..]) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(marker[12..]) == MarkerFooter
            && BinaryPrimitives.ReadUInt64LittleEndian(eos) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(eos[8..]) == 0
            && BinaryPrimitives.ReadUInt32LittleEndian(eos[12..]) == MarkerEndOfStream;
        if (!markersValid || !VmdkSparseHeader.TryParse(tail.AsSpan(SectorSize, SectorSize), out var footer))
        {
            throw Corrupt("vmdk streamOptimized footer is missing or invalid");
        }

        if (footer.GrainDirectoryOffset == VmdkSparseHeader.GrainDirectoryAtEnd)
        {
            throw Corrupt("vmdk footer points to another footer");
        }

        if (footer.Version != header.Version || footer.CapacitySectors != header.CapacitySectors || footer.GrainSectors != header.GrainSectors
            || footer.DescriptorOffset != header.DescriptorOffset || footer.DescriptorSectors != header.DescriptorSectors
            || footer.GrainTableEntries != header.GrainTableEntries || footer.CompressAlgorithm != header.CompressAlgorithm)
        {
            throw Corrupt("vmdk footer does not match the header");
        }

        if (footer.GrainDirectoryOffset == 0 || footer.GrainDirectoryOffset > (ulong)(reader.Length / SectorSize))
        {
            throw Corrupt("vmdk footer grain directory lies outside the file");
        }
    }

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);
}
