using Cdi.Importer.Core.Formats.Iso;
using Cdi.Importer.Core.Formats.Qcow2;
using Cdi.Importer.Core.Formats.Vdi;
using Cdi.Importer.Core.Formats.Vhd;
using Cdi.Importer.Core.Formats.Vhdx;
using Cdi.Importer.Core.Formats.Vmdk;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats;

/// <summary>
/// Deep, deny-by-default inspection of an image whose format <see cref="HeaderDetector"/> found, run before qemu-img ever opens it
/// (OpenStack's format inspector is the model). It reads only headers and small metadata, never whole tables.
/// </summary>
/// <remarks>
/// Intended order: <see cref="Compression.CompressionDetector"/> and <see cref="Compression.Decompressor"/> on the download, then
/// <see cref="HeaderDetector.Detect"/> on the first <see cref="HeaderDetector.HeadBytes"/> of the decompressed image; for
/// <see cref="ImageFormat.Raw"/> also <see cref="VhdFooter.TryParseFixed"/> on the last 512 bytes; then <see cref="Inspect"/> on the
/// complete image (scratch copy), so that the bytes inspected are the bytes qemu-img converts with an explicit <c>-f</c>.
/// </remarks>
public static class ImageInspector
{
    /// <summary>Validates <paramref name="seekable"/> as <paramref name="format"/> and returns the virtual size qemu-img will report.</summary>
    /// <remarks>Moves the stream's position; does not dispose it.</remarks>
    /// <exception cref="ImportException">The image is unsafe (external references, encryption, unknown features) or malformed.</exception>
    public static ImageInfo Inspect(Stream seekable, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        if (!seekable.CanSeek)
        {
            throw new ArgumentException("inspection needs a seekable stream", nameof(seekable));
        }

        try
        {
            return InspectUnguarded(seekable, format);
        }
        catch (Exception ex) when (ex is not ImportException and not OperationCanceledException and not ArgumentOutOfRangeException { ParamName: nameof(format) })
        {
            // Fail closed: a parser surprise on hostile input is a rejection, never a pass.
            throw new ImportException(
                ImportFailureReason.CorruptImage,
                $"{format.ToString().ToLowerInvariant()} image could not be parsed: {OneLine(ex.Message)}",
                ex);
        }
    }

    /// <summary>The inspection itself, without the fail-closed net, so fuzz tests can see parser bugs the net would hide.</summary>
    internal static ImageInfo InspectUnguarded(Stream seekable, ImageFormat format)
    {
        var reader = new ImageReader(seekable, format.ToString().ToLowerInvariant());
        long size = format switch
        {
            ImageFormat.Raw => reader.Length,
            ImageFormat.Iso => IsoInspector.Inspect(reader),
            ImageFormat.Qcow2 => Qcow2Inspector.Inspect(reader),
            ImageFormat.Vmdk => VmdkInspector.Inspect(reader),
            ImageFormat.Vhd => VhdInspector.Inspect(reader),
            ImageFormat.Vhdx => VhdxInspector.Inspect(reader),
            ImageFormat.Vdi => VdiInspector.Inspect(reader),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
        };
        return new ImageInfo(format, size);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
