using System.Buffers.Binary;

namespace Cdi.Importer.Core.Formats.Vhd;

/// <summary>The fields of the 512-byte VHD footer (big-endian) that decide type and size.</summary>
internal readonly ref struct VhdFooterFields
{
    public const int Size = 512;
    public const int ChecksumOffset = 64;
    public const uint DiskTypeFixed = 2;
    public const uint DiskTypeDynamic = 3;
    public const uint DiskTypeDifferencing = 4;

    // qemu's VHD_MAX_SECTORS and VHD_MAX_GEOMETRY (block/vpc.c).
    private const long MaxSectors = 0xff000000L;
    private const long MaxGeometrySectors = 65535L * 16 * 255;

    private readonly ReadOnlySpan<byte> _footer;

    public VhdFooterFields(ReadOnlySpan<byte> footer) => _footer = footer;

    public static ReadOnlySpan<byte> Cookie => "conectix"u8;

    public bool HasCookie => _footer.Length >= Size && _footer.StartsWith(Cookie);

    public bool ChecksumValid => VhdChecksum.IsValid(_footer[..Size], ChecksumOffset);

    public ulong DataOffset => BinaryPrimitives.ReadUInt64BigEndian(_footer[16..]);

    public ulong CurrentSize => BinaryPrimitives.ReadUInt64BigEndian(_footer[48..]);

    public uint DiskType => BinaryPrimitives.ReadUInt32BigEndian(_footer[60..]);

    public static long MaxVirtualSize => MaxSectors * 512;

    /// <summary>
    /// The size qemu's vpc driver presents. Virtual PC (and qemu's own "qemu" creator) size disks by CHS geometry, which can be
    /// smaller than current_size; Hyper-V, Disk2vhd, XenServer/XenConverter and qemu's force_size ("qem2") use current_size; and
    /// a maximal geometry means current_size too, since CHS would truncate. current_size is rounded down to whole sectors.
    /// </summary>
    public long VirtualSize
    {
        get
        {
            long chsSectors = (long)BinaryPrimitives.ReadUInt16BigEndian(_footer[56..]) * _footer[58] * _footer[59];
            var creator = _footer.Slice(28, 4);
            bool useCurrentSize = creator.SequenceEqual("win "u8) || creator.SequenceEqual("qem2"u8) || creator.SequenceEqual("d2v "u8)
                || creator.SequenceEqual("CTXS"u8) || creator.SequenceEqual("tap\0"u8);
            ulong sectors = useCurrentSize || chsSectors == MaxGeometrySectors ? CurrentSize / 512 : (ulong)chsSectors;
            return sectors > (ulong)MaxSectors ? -1 : (long)sectors * 512;
        }
    }
}
