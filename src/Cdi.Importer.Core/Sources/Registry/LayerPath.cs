using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>A layer entry's name reduced to plain parts (no leading <c>/</c> or <c>./</c>); <c>..</c> anywhere is refused.</summary>
public static class LayerPath
{
    public const string DiskDirectory = "disk";
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    public static string Normalize(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            ImportException.Throw(ImportFailureReason.ArchiveEntryNotAllowed, "image layer entry has a NUL in its name");
        }
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
        {
            ImportException.Throw(ImportFailureReason.ArchiveEntryNotAllowed, $"image layer entry \"{name}\" climbs out of the image with \"..\"");
        }
        return string.Join('/', parts);
    }

    public static bool IsUnderDisk(string path) => path.StartsWith(DiskDirectory + "/", StringComparison.Ordinal);

    /// <summary>For a whiteout entry: the path it deletes (or, for an opaque marker, the directory it empties).</summary>
    public static bool TryWhiteout(string path, out string target, out bool opaque)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? "" : path[..slash];
        var name = slash < 0 ? path : path[(slash + 1)..];
        opaque = name == OpaqueMarker;
        if (opaque)
        {
            target = parent;
            return true;
        }
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal) && name.Length > WhiteoutPrefix.Length)
        {
            var deleted = name[WhiteoutPrefix.Length..];
            target = parent.Length == 0 ? deleted : $"{parent}/{deleted}";
            return true;
        }
        target = "";
        return false;
    }

    /// <summary>The path's proper ancestors, nearest last: <c>a/b/c</c> gives <c>""</c>, <c>a</c>, <c>a/b</c>.</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        yield return "";
        for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
        {
            yield return path[..i];
        }
    }
}
