using System.Buffers.Binary;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats;

public static class HeaderDetector
{
    public const int HeadBytes = 65536;

    public static ImageFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x51, 0x46, 0x49, 0xFB])) return ImageFormat.Qcow2;
        if (head.StartsWith("KDMV"u8)) return ImageFormat.Vmdk;
        if (head.StartsWith("conectix"u8)) return ImageFormat.Vhd;
        if (head.StartsWith("vhdxfile"u8)) return ImageFormat.Vhdx;
        if (head.Length >= 0x44 && BinaryPrimitives.ReadUInt32LittleEndian(head[0x40..]) == 0xBEDA107F) return ImageFormat.Vdi;
        if (head.Length >= 0x8006 && head.Slice(0x8001, 5).SequenceEqual("CD001"u8)) return ImageFormat.Iso;
        if (head.StartsWith("QED\0"u8)) ImportException.Throw(ImportFailureReason.UnsupportedFormat, "QED images are not allowed");
        return ImageFormat.Raw;
    }
}
