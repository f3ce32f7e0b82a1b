using System.Globalization;

namespace Cdi.Bench.KubeClient;

internal sealed record Phase(string Name, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes)
{
    /// <summary>One machine-readable line: run.sh collects these into medians.</summary>
    public string Format(string client, int count) => string.Create(CultureInfo.InvariantCulture,
        $"client={client} phase={Name} n={count} wall_ms={Wall.TotalMilliseconds:F1} cpu_ms={Cpu.TotalMilliseconds:F1} alloc_kib={AllocatedBytes / 1024}");
}
