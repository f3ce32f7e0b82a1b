using System.Buffers.Binary;

namespace Cdi.Importer.Core.Formats.Vhd;

/// <summary>The VHD checksum: one's complement of the byte sum, with the checksum field itself counted as zero.</summary>
internal static class VhdChecksum
{
    public static bool IsValid(ReadOnlySpan<byte> structure, int checksumOffset)
    {
        uint sum = 0;
        for (int i = 0; i < structure.Length; i++)
        {
            if (i < checksumOffset || i >= checksumOffset + 4)
            {
                sum += structure[i];
            }
        }

        return ~sum == BinaryPrimitives.ReadUInt32BigEndian(structure[checksumOffset..]);
    }
}
