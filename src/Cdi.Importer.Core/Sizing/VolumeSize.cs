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
}
