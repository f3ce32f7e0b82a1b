using Cdi.Importer.Core.Formats.Vhd;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats;

/// <summary>
/// Recognises a fixed VHD, which is raw disk data followed by a 512-byte footer and so looks raw to <see cref="HeaderDetector"/>;
/// the caller drops the footer and imports the rest as raw.
/// </summary>
public static class VhdFooter
{
    /// <summary>Size of the footer the caller must drop.</summary>
    public const int Size = VhdFooterFields.Size;

    /// <param name="last512">The last 512 bytes of the image.</param>
    /// <param name="totalLength">The image's full length, footer included.</param>
    /// <param name="virtualSize">The disk size qemu-img reports for the image (<c>-f vpc</c>).</param>
    /// <returns>True for a valid fixed-disk footer (cookie, disk type 2, checksum); false when the image is not a fixed VHD.</returns>
    /// <exception cref="ImportException">A valid fixed-disk footer claims more data than precedes it.</exception>
    public static bool TryParseFixed(ReadOnlySpan<byte> last512, long totalLength, out long virtualSize)
    {
        virtualSize = 0;
        if (last512.Length != Size || totalLength < Size)
        {
            return false;
        }

        var footer = new VhdFooterFields(last512);
        if (!footer.HasCookie || footer.DiskType != VhdFooterFields.DiskTypeFixed || !footer.ChecksumValid)
        {
            return false;
        }

        long size = footer.VirtualSize;
        long data = totalLength - Size;
        if (size < 0 || size > data)
        {
            throw new ImportException(
                ImportFailureReason.CorruptImage,
                $"fixed vhd footer claims a {(size < 0 ? "too large" : size.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-byte")} disk but only {data} bytes precede it");
        }

        virtualSize = size;
        return true;
    }
}
