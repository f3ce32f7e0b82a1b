namespace Cdi.Importer.Core.Sizing;

/// <summary>Upstream CDI's size math, kept in one place.</summary>
public static class VolumeSize
{
    /// <summary>Upstream's default share of a Filesystem volume left to the file system (<c>DefaultGlobalOverhead</c>).</summary>
    public const decimal DefaultFilesystemOverhead = 0.06m;

    /// <summary>floor((1 − overhead) · size / 512) · 512: what a Filesystem volume of <paramref name="size"/> bytes can hold.</summary>
    public static long Usable(long size, decimal overhead)
    {
        var usable = (1m - overhead) * size;
        var sectors = decimal.Floor(usable / 512m);
        return (long)sectors * 512;
    }

    /// <summary>
    /// What an image may use: the usable size, but never more than the file system really has free (whole sectors),
    /// as upstream sizes images. A volume whose file system is smaller than its claim (a resize not yet applied to the
    /// file system) then fails with "larger than available" instead of a sparse file that cannot be filled.
    /// </summary>
    public static long Offered(long usable, long? freeBytes) =>
        freeBytes is { } free ? Math.Min(usable, Math.Max(0, free) / 512 * 512) : usable;

    /// <summary>Free bytes for an unprivileged writer on the file system holding <paramref name="directory"/>, or null when that cannot be told.</summary>
    public static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
