using System.Buffers.Binary;
using System.Text;

namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>Surgical edits to qemu-made images, for crafted-rejection tests (formats qemu-img will not produce directly).</summary>
public static class ImagePatcher
{
    /// <summary>Replaces a sparse VMDK's embedded descriptor text, keeping its location and size.</summary>
    public static void ReplaceVmdkDescriptor(string path, Func<string, string> edit)
    {
        byte[] header = QemuImg.ReadAt(path, 0, 512);
        long offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(28)) * 512;
        int size = (int)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(36)) * 512;
        byte[] area = QemuImg.ReadAt(path, offset, size);
        int nul = Array.IndexOf(area, (byte)0);
        string text = Encoding.ASCII.GetString(area, 0, nul < 0 ? area.Length : nul);
        byte[] replaced = Encoding.ASCII.GetBytes(edit(text));
        if (replaced.Length > size)
        {
            throw new InvalidOperationException("edited descriptor does not fit");
        }

        var padded = new byte[size];
        replaced.CopyTo(padded, 0);
        QemuImg.Patch(path, offset, padded);
    }

    /// <summary>Rewrites a big-endian VHD checksum field after an edit (one's complement of the byte sum, field counted as zero).</summary>
    public static void FixVhdChecksum(string path, long structureOffset, int length, int checksumOffset)
    {
        byte[] structure = QemuImg.ReadAt(path, structureOffset, length);
        uint sum = 0;
        for (int i = 0; i < length; i++)
        {
            if (i < checksumOffset || i >= checksumOffset + 4)
            {
                sum += structure[i];
            }
        }

        var checksum = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, ~sum);
        QemuImg.Patch(path, structureOffset + checksumOffset, checksum);
    }

    /// <summary>File offset of a VHDX metadata item's value, found through the region table and the metadata table.</summary>
    public static long VhdxMetadataItemOffset(string path, Guid item)
    {
        var metadataRegion = new Guid("8B7CA206-4790-4B9A-B8FE-575F050F886E");
        byte[] regions = QemuImg.ReadAt(path, 192 * 1024, 64 * 1024);
        uint regionCount = BinaryPrimitives.ReadUInt32LittleEndian(regions.AsSpan(8));
        for (int i = 0; i < regionCount; i++)
        {
            var entry = regions.AsSpan(16 + (i * 32), 32);
            if (new Guid(entry[..16]) != metadataRegion)
            {
                continue;
            }

            long regionOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            byte[] table = QemuImg.ReadAt(path, regionOffset, 64 * 1024);
            int count = BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(10));
            for (int j = 0; j < count; j++)
            {
                var item2 = table.AsSpan(32 + (j * 32), 32);
                if (new Guid(item2[..16]) == item)
                {
                    return regionOffset + BinaryPrimitives.ReadUInt32LittleEndian(item2[16..]);
                }
            }
        }

        throw new InvalidOperationException("metadata item not found");
    }
}
