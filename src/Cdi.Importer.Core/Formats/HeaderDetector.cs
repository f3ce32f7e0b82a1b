using System.Buffers.Binary;
using Cdi.Importer.Core.Formats.Iso;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Formats;

/// <summary>
/// Names the format of a (decompressed) image from its first bytes, and refuses outright the formats and tricks that are never
/// allowed: QED, qcow v1, LUKS, text-only VMDK descriptors, and polyglots that match more than one format.
/// </summary>
public static class HeaderDetector
{
    /// <summary>How much of the image <see cref="Detect"/> wants: enough to reach the ISO 9660 descriptor at 32 KiB.</summary>
    public const int HeadBytes = 65536;

    private const int VdiSignatureOffset = 0x40;
    private const uint VdiSignature = 0xBEDA107F;

    private static ReadOnlySpan<byte> QcowMagic => [(byte)'Q', (byte)'F', (byte)'I', 0xFB];
    private static ReadOnlySpan<byte> QedMagic => [(byte)'Q', (byte)'E', (byte)'D', 0x00];
    private static ReadOnlySpan<byte> LuksMagic => [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xBA, 0xBE];
    private static ReadOnlySpan<byte> VmdkSparseMagic => "KDMV"u8;
    private static ReadOnlySpan<byte> VmdkCowdMagic => "COWD"u8;
    private static ReadOnlySpan<byte> VmdkDescriptorStart => "# Disk DescriptorFile"u8;
    private static ReadOnlySpan<byte> VhdCookie => "conectix"u8;
    private static ReadOnlySpan<byte> VhdxSignature => "vhdxfile"u8;

    /// <param name="head">The first <c>min(<see cref="HeadBytes"/>, length)</c> bytes of the image.</param>
    /// <returns>The single format the header names, or <see cref="ImageFormat.Raw"/> when none does.</returns>
    /// <exception cref="ImportException">A banned format, or more than one format matches.</exception>
    public static ImageFormat Detect(ReadOnlySpan<byte> head)
    {
        RejectBanned(head);

        Span<ImageFormat> matches = stackalloc ImageFormat[6];
        int count = 0;
        if (IsQcow2(head))
        {
            matches[count++] = ImageFormat.Qcow2;
        }

        if (head.StartsWith(VmdkSparseMagic))
        {
            matches[count++] = ImageFormat.Vmdk;
        }

        // A dynamic (or differencing) VHD starts with a copy of its footer; a fixed VHD has the footer only at the end and
        // looks raw here, which VhdFooter.TryParseFixed handles.
        if (head.StartsWith(VhdCookie))
        {
            matches[count++] = ImageFormat.Vhd;
        }

        if (head.StartsWith(VhdxSignature))
        {
            matches[count++] = ImageFormat.Vhdx;
        }

        if (head.Length >= VdiSignatureOffset + 4 && BinaryPrimitives.ReadUInt32LittleEndian(head[VdiSignatureOffset..]) == VdiSignature)
        {
            matches[count++] = ImageFormat.Vdi;
        }

        // Hybrid (bootable) ISOs carry an MBR or GPT in the 32 KiB system area: an MBR/GPT is not an image format, so it never
        // counts as a second match and a hybrid ISO is simply Iso. Any real image header in that area does count: qemu-img would
        // probe it and open the ISO as that format (oslo.utils' "bad ISO" case), so qcow2+iso is rejected as ambiguous.
        if (head.Length >= IsoInspector.DescriptorIdOffset + 5 && head.Slice(IsoInspector.DescriptorIdOffset, 5).SequenceEqual(IsoInspector.DescriptorId))
        {
            matches[count++] = ImageFormat.Iso;
        }

        if (count > 1)
        {
            var names = new string[count];
            for (int i = 0; i < count; i++)
            {
                names[i] = matches[i].ToString().ToLowerInvariant();
            }

            throw new ImportException(ImportFailureReason.AmbiguousFormat, $"image matches more than one format ({string.Join(", ", names)})");
        }

        return count == 1 ? matches[0] : ImageFormat.Raw;
    }

    private static bool IsQcow2(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith(QcowMagic))
        {
            return false;
        }

        if (head.Length < 8)
        {
            // Too short to hold a version: let inspection call it truncated rather than guess here.
            return true;
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        return version switch
        {
            1 => throw new ImportException(ImportFailureReason.UnsupportedFormat, "qcow version 1 images are not allowed"),
            2 or 3 => true,
            _ => throw new ImportException(ImportFailureReason.UnsupportedFormat, $"qcow2 version {version} is not supported"),
        };
    }

    private static void RejectBanned(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(QedMagic))
        {
            throw new ImportException(ImportFailureReason.UnsupportedFormat, "QED images are not allowed");
        }

        if (head.StartsWith(LuksMagic))
        {
            throw new ImportException(ImportFailureReason.Encrypted, "LUKS encrypted images are not allowed");
        }

        if (head.StartsWith(VmdkCowdMagic))
        {
            throw new ImportException(ImportFailureReason.UnsupportedSubformat, "vmdk subformat COWD (ESX sparse) is not allowed");
        }

        if (head.StartsWith(VmdkDescriptorStart) || LooksLikeQemuProbedVmdkDescriptor(head))
        {
            throw new ImportException(ImportFailureReason.ExternalReference, "vmdk descriptor files that name other files are not allowed");
        }
    }

    // qemu's vmdk probe accepts a text descriptor whose first line that is neither a comment nor blank-prefixed is "version=1..3";
    // such a file may be meant to be opened as a descriptor naming other files, so it is refused like the commented form.
    private static bool LooksLikeQemuProbedVmdkDescriptor(ReadOnlySpan<byte> head)
    {
        int p = 0;
        while (p < head.Length)
        {
            if (head[p] == (byte)'#')
            {
                int newline = head[p..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    return false;
                }

                p += newline + 1;
            }
            else if (head[p] == (byte)' ')
            {
                p++;
            }
            else
            {
                var rest = head[p..];
                return rest.Length >= 10 && rest.StartsWith("version="u8) && rest[8] is (byte)'1' or (byte)'2' or (byte)'3'
                    && (rest[9] == (byte)'\n' || (rest.Length >= 11 && rest[9] == (byte)'\r' && rest[10] == (byte)'\n'));
            }
        }

        return false;
    }
}
