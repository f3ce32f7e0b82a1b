namespace Cdi.Importer.Core.Targets;

/// <summary>
/// The hidden files an import writes while it runs (the partial <c>disk.img</c>, scratch copies). An attempt killed
/// hard (OOM, SIGKILL, a node crash) leaves them behind, hundreds of MiB on a volume sized to fit one image; the next
/// attempt removes them before it writes, or it would run out of space. Only these names, only in the given folder.
/// </summary>
public static class AttemptLeftovers
{
    public const string PartialPrefix = "." + FilesystemTarget.DiskFileName + ".part-";
    public const string ScratchPrefix = ".cdi-scratch-";

    /// <summary>
    /// Deletes the files in <paramref name="directory"/> that earlier attempts left (those starting with one of
    /// <paramref name="prefixes"/>, by default every kind). Call it before this attempt writes its own. Best effort: a
    /// file that cannot be removed shows up as the space it takes, in the write that runs out of it.
    /// </summary>
    public static void Remove(string directory, params string[] prefixes)
    {
        prefixes = prefixes.Length == 0 ? [PartialPrefix, ScratchPrefix] : prefixes;
        IEnumerable<FileInfo> files;
        try
        {
            files = new DirectoryInfo(directory).EnumerateFiles(".*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var file in files.Where(f => prefixes.Any(p => f.Name.StartsWith(p, StringComparison.Ordinal))))
        {
            try
            {
                // A symbolic link is removed itself, never followed.
                file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
