using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Vhd;

/// <summary>Dynamic VHD (footer copy at 0, "cxsparse" header at its data offset). Differencing disks name a parent and are refused.</summary>
internal static class VhdInspector
{
    private const int DynamicHeaderSize = 1024;
    private const int DynamicChecksumOffset = 36;
    private const int ParentLocatorsOffset = 576;
    private const int ParentLocatorCount = 8;
    private const int ParentLocatorSize = 24;

    private static ReadOnlySpan<byte> DynamicCookie => "cxsparse"u8;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> footerBytes = stackalloc byte[VhdFooterFields.Size];
        reader.Read(0, footerBytes);
        var footer = new VhdFooterFields(footerBytes);
        if (!footer.HasCookie)
        {
            throw Corrupt("vhd image has no footer at offset 0");
        }

        if (!footer.ChecksumValid)
        {
            throw Corrupt("vhd footer checksum is wrong");
        }

        switch (footer.DiskType)
        {
            case VhdFooterFields.DiskTypeDynamic:
                break;
            case VhdFooterFields.DiskTypeDifferencing:
                throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vhd differencing (backing) images are not allowed");
            case VhdFooterFields.DiskTypeFixed:
                throw new ImportException(ImportFailureReason.UnsupportedSubformat, "vhd with a fixed-disk footer at offset 0 is not supported");
            default:
                throw new ImportException(ImportFailureReason.UnsupportedSubformat, $"vhd disk type {footer.DiskType} is not supported");
        }

        long size = footer.VirtualSize;
        if (size < 0)
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, "vhd images larger than 2040 GiB are not supported");
        }

        ulong headerOffset = footer.DataOffset;
        if (headerOffset > long.MaxValue)
        {
            throw Corrupt("vhd dynamic header offset is invalid");
        }

        Span<byte> header = stackalloc byte[DynamicHeaderSize];
        reader.Read((long)headerOffset, header);
        if (!header.StartsWith(DynamicCookie))
        {
            throw Corrupt("vhd dynamic header is missing");
        }

        if (!VhdChecksum.IsValid(header, DynamicChecksumOffset))
        {
            throw Corrupt("vhd dynamic header checksum is wrong");
        }

        for (int i = 0; i < ParentLocatorCount; i++)
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(header[(ParentLocatorsOffset + (i * ParentLocatorSize))..]) != 0)
            {
                throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vhd parent locator (backing file) is not allowed");
            }
        }

        ulong tableOffset = BinaryPrimitives.ReadUInt64BigEndian(header[16..]);
        uint maxTableEntries = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        uint blockSize = BinaryPrimitives.ReadUInt32BigEndian(header[32..]);
        if (blockSize < 512 || (blockSize & (blockSize - 1)) != 0)
        {
            throw Corrupt($"vhd block size {blockSize} is invalid");
        }

        ulong blocksNeeded = ((ulong)size + blockSize - 1) / blockSize;
        if ((ulong)maxTableEntries * blockSize < (ulong)size)
        {
            throw Corrupt("vhd block table is too small for the disk size");
        }

        // The spec sizes the table to the disk; a far larger one only makes qemu allocate it.
        if (maxTableEntries > (blocksNeeded * 2) + 16)
        {
            throw Corrupt($"vhd block table has {maxTableEntries} entries, far more than the {blocksNeeded} the disk needs");
        }

        if (tableOffset > long.MaxValue || !reader.Contains((long)tableOffset, (long)maxTableEntries * 4))
        {
            throw Corrupt("vhd block table lies outside the file");
        }

        return size;
    }

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);
}
