using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Vdi;

/// <summary>VirtualBox VDI 1.1, dynamic or static. Undo and differencing images, or any parent/link UUID, refer to another image.</summary>
internal static class VdiInspector
{
    private const int HeaderBytes = 0x200;
    private const uint Signature = 0xBEDA107F;
    private const uint Version11 = 0x00010001;
    private const uint TypeDynamic = 1;
    private const uint TypeStatic = 2;
    private const uint TypeUndo = 3;
    private const uint TypeDiff = 4;
    private const uint BlockSize = 1024 * 1024;
    private const uint MaxBlocks = uint.MaxValue / 4;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> h = stackalloc byte[HeaderBytes];
        reader.Read(0, h);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h[0x40..]) != Signature)
        {
            throw Corrupt("vdi signature is missing");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(h[0x44..]);
        if (version != Version11)
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, $"vdi version {version >> 16}.{version & 0xFFFF} is not supported");
        }

        uint type = BinaryPrimitives.ReadUInt32LittleEndian(h[0x4C..]);
        if (type is TypeUndo or TypeDiff)
        {
            throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vdi differencing and undo (backing) images are not allowed");
        }

        if (type is not (TypeDynamic or TypeStatic))
        {
            throw new ImportException(ImportFailureReason.UnsupportedSubformat, $"vdi image type {type} is not supported");
        }

        if (!IsZero(h.Slice(0x1A8, 16)) || !IsZero(h.Slice(0x1B8, 16)))
        {
            throw new ImportException(ImportFailureReason.BackingFileNotAllowed, "vdi parent (backing) image is not allowed");
        }

        uint bitmapOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[0x154..]);
        uint dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[0x158..]);
        uint sectorSize = BinaryPrimitives.ReadUInt32LittleEndian(h[0x168..]);
        ulong diskSize = BinaryPrimitives.ReadUInt64LittleEndian(h[0x170..]);
        uint blockSize = BinaryPrimitives.ReadUInt32LittleEndian(h[0x178..]);
        uint blockExtra = BinaryPrimitives.ReadUInt32LittleEndian(h[0x17C..]);
        uint blocks = BinaryPrimitives.ReadUInt32LittleEndian(h[0x180..]);

        if (bitmapOffset % 512 != 0 || dataOffset % 512 != 0 || sectorSize != 512 || blockSize != BlockSize || blockExtra != 0)
        {
            throw Corrupt("vdi header geometry is invalid");
        }

        if (blocks > MaxBlocks || diskSize > (ulong)blocks * blockSize)
        {
            throw Corrupt($"vdi disk size {diskSize} does not fit its {blocks} blocks");
        }

        if (!reader.Contains(bitmapOffset, blocks * 4L) || dataOffset > reader.Length)
        {
            throw Corrupt("vdi block map lies outside the file");
        }

        // qemu rounds odd sizes (VBoxManage convertfromraw makes them) up to a whole sector.
        return (long)((diskSize + 511) / 512 * 512);
    }

    private static bool IsZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    private static ImportException Corrupt(string message) => new(ImportFailureReason.CorruptImage, message);
}
