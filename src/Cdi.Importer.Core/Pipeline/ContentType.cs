namespace Cdi.Importer.Core.Pipeline;

public enum ContentType
{
    /// <summary>A disk image, written as raw <c>disk.img</c> or onto the block device.</summary>
    Kubevirt,

    /// <summary>A tar whose regular files and directories are unpacked into the volume.</summary>
    Archive,
}
