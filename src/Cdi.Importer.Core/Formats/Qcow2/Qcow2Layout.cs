using System.Buffers.Binary;

namespace Cdi.Importer.Core.Formats.Qcow2;

/// <summary>What the converter needs from a qcow2 header the inspector has already accepted.</summary>
internal sealed record Qcow2Layout(int ClusterBits, long VirtualSize, int L1Size, long L1Offset, bool ExtendedL2, bool ZstdCompression)
{
    private const ulong ExtendedL2Bit = 1UL << 4;

    public int ClusterSize => 1 << ClusterBits;
    public int L2EntrySize => ExtendedL2 ? 16 : 8;
    public int L2Entries => ClusterSize / L2EntrySize;
    public long BytesPerL2Table => (long)L2Entries * ClusterSize;

    public static Qcow2Layout Parse(ReadOnlySpan<byte> header)
    {
        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var incompatible = version >= 3 ? BinaryPrimitives.ReadUInt64BigEndian(header[72..]) : 0;
        var headerLength = version >= 3 ? BinaryPrimitives.ReadUInt32BigEndian(header[100..]) : 72;
        var compressionType = headerLength > 104 ? header[104] : (byte)0;
        return new Qcow2Layout(
            (int)BinaryPrimitives.ReadUInt32BigEndian(header[20..]),
            (long)BinaryPrimitives.ReadUInt64BigEndian(header[24..]),
            (int)BinaryPrimitives.ReadUInt32BigEndian(header[36..]),
            (long)BinaryPrimitives.ReadUInt64BigEndian(header[40..]),
            (incompatible & ExtendedL2Bit) != 0,
            compressionType == 1);
    }
}
