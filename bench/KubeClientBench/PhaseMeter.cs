using System.Diagnostics;

namespace Cdi.Bench.KubeClient;

/// <summary>
/// Wall time, this process's CPU time and managed allocation for one phase. CPU is the figure to compare: the API
/// server runs in another process, so wall time is mostly the server's, while CPU and bytes are the client's own.
/// </summary>
internal sealed class PhaseMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);

    public Phase Stop(string name) => new(
        name,
        _wall.Elapsed,
        Process.GetCurrentProcess().TotalProcessorTime - _cpu,
        GC.GetTotalAllocatedBytes(precise: true) - _allocated);
}
