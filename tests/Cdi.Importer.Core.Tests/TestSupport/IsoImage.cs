namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>A minimal ISO 9660 image by hand (no xorriso here): empty system area, a primary volume descriptor, a terminator.</summary>
public static class IsoImage
{
    public static byte[] Build(int length = 1024 * 1024, bool hybridMbr = false)
    {
        var iso = new byte[length];
        WriteDescriptor(iso, 0x8000, 0x01);
        WriteDescriptor(iso, 0x8800, 0xFF);
        // Volume space size (both-endian) in 2 KiB blocks, so the descriptor is plausible.
        int blocks = length / 2048;
        BitConverter.TryWriteBytes(iso.AsSpan(0x8000 + 80), blocks);
        iso[0x8000 + 84] = (byte)(blocks >> 24);
        iso[0x8000 + 85] = (byte)(blocks >> 16);
        iso[0x8000 + 86] = (byte)(blocks >> 8);
        iso[0x8000 + 87] = (byte)blocks;
        if (hybridMbr)
        {
            // isohybrid-style: boot code, one bootable partition covering the image, and the 0x55AA signature.
            iso[0] = 0xEB;
            iso[1] = 0x63;
            iso[446] = 0x80;
            iso[446 + 4] = 0x17;
            BitConverter.TryWriteBytes(iso.AsSpan(446 + 12), length / 512);
            iso[510] = 0x55;
            iso[511] = 0xAA;
        }

        return iso;
    }

    private static void WriteDescriptor(byte[] iso, int offset, byte type)
    {
        iso[offset] = type;
        "CD001"u8.CopyTo(iso.AsSpan(offset + 1));
        iso[offset + 6] = 1;
    }
}
