using System.Formats.Tar;

namespace Cdi.Testing.Registry;

/// <summary>One entry of a test layer tar.</summary>
public sealed record LayerEntry(string Name, TarEntryType Type, byte[]? Data = null, string? LinkName = null)
{
    public static LayerEntry File(string name, byte[] data) => new(name, TarEntryType.RegularFile, data);

    public static LayerEntry Directory(string name) => new(name, TarEntryType.Directory);

    public static LayerEntry Symlink(string name, string target) => new(name, TarEntryType.SymbolicLink, null, target);
}
