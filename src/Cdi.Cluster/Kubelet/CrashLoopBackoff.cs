namespace Cdi.Cluster.Kubelet;

/// <summary>The wait before restart number <c>n</c> (1-based): initial × 2^(n-1), capped.</summary>
internal static class CrashLoopBackoff
{
    public static TimeSpan Delay(int restart, TimeSpan initial, TimeSpan max)
    {
        var ticks = initial.Ticks * Math.Pow(2, Math.Max(0, restart - 1));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
