namespace Cdi.Importer.Core.Formats;

/// <summary>Disk image formats the importer accepts. ISO 9660 images are copied like raw ones.</summary>
public enum ImageFormat
{
    Raw,
    Iso,
    Qcow2,
    Vmdk,
    Vhd,
    Vhdx,
    Vdi,
}
