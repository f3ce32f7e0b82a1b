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
    /// <paramref name="prefixes"/>, by default every kind); returns how many bytes that freed. Call it before this
    /// attempt writes its own.
    /// </summary>
    public static long Remove(string directory, params string[] prefixes)
    {
        prefixes = prefixes.Length == 0 ? [PartialPrefix, ScratchPrefix] : prefixes;
        long freed = 0;
        IEnumerable<FileInfo> files;
        try
        {
            files = new DirectoryInfo(directory).EnumerateFiles(".*", new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0 }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var file in files.Where(f => prefixes.Any(p => f.Name.StartsWith(p, StringComparison.Ordinal))))
        {
            try
            {
                // A symbolic link is removed itself, never followed.
                var size = file.LinkTarget is null ? file.Length : 0;
                file.Delete();
                freed += size;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return freed;
    }
}
