namespace Cdi.Importer.Core.Formats;

public static class ImageFormatExtensions
{
    /// <summary>The driver name qemu-img knows the format by (for its explicit <c>-f</c>).</summary>
    public static string QemuDriver(this ImageFormat format) => format switch
    {
        ImageFormat.Raw or ImageFormat.Iso => "raw",
        ImageFormat.Qcow2 => "qcow2",
        ImageFormat.Vmdk => "vmdk",
        ImageFormat.Vhd => "vpc",
        ImageFormat.Vhdx => "vhdx",
        ImageFormat.Vdi => "vdi",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Raw and ISO bytes are the disk itself; every other format must be converted.</summary>
    public static bool IsRawData(this ImageFormat format) => format is ImageFormat.Raw or ImageFormat.Iso;
}
