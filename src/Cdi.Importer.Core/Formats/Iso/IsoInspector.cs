using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats.Iso;

/// <summary>ISO 9660 images are copied byte for byte, so the only check is that the volume descriptor is really there.</summary>
internal static class IsoInspector
{
    public const int DescriptorIdOffset = 0x8001;

    public static ReadOnlySpan<byte> DescriptorId => "CD001"u8;

    public static long Inspect(ImageReader reader)
    {
        Span<byte> id = stackalloc byte[5];
        reader.Read(DescriptorIdOffset, id);
        if (!id.SequenceEqual(DescriptorId))
        {
            throw new ImportException(ImportFailureReason.CorruptImage, "iso image has no ISO 9660 volume descriptor");
        }

        return reader.Length;
    }
}
