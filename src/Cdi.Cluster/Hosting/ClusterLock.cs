namespace Cdi.Cluster.Hosting;

/// <summary>
/// One API server per cluster directory: the server holds DIR/cluster.lock open exclusively (.NET takes an advisory
/// lock on Unix), which the OS releases however the process ends — unlike a pid file, it cannot go stale.
/// </summary>
internal static class ClusterLock
{
    public static FileStream? TryAcquire(string dir)
    {
        try
        {
            return new FileStream(ClusterFiles.Lock(dir), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static bool IsHeld(string dir)
    {
        if (!File.Exists(ClusterFiles.Lock(dir)))
        {
            return false;
        }
        using var probe = TryAcquire(dir);
        return probe is null;
    }
}
