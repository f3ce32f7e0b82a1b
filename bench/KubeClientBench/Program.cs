using System.Globalization;
using Cdi.Bench.KubeClient;

// Usage: KubeClientBench ours|official KUBECONFIG [COUNT=1000] [LISTS=10]
// One client per process, so run.sh can interleave them and count each one's instructions with perf stat.
// A 100-object warm-up round runs first (JIT, connection pool); the measured round follows in a fresh namespace.
if (args.Length < 2 || args[0] is not ("ours" or "official"))
{
    Console.Error.WriteLine("usage: KubeClientBench ours|official KUBECONFIG [COUNT=1000] [LISTS=10]");
    return 2;
}
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var lists = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
using IClientRun run = args[0] == "ours" ? new OursRun(args[1]) : new OfficialRun(args[1]);

var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var phase in await Workload.RunAsync(run, Math.Min(100, count), 1, timeout.Token).ConfigureAwait(false))
    Console.Error.WriteLine("warm-up " + phase.Format(run.Name, Math.Min(100, count)));
Console.Error.WriteLine($"warm-up round done after {clock.ElapsedMilliseconds} ms");
foreach (var phase in await Workload.RunAsync(run, count, lists, timeout.Token).ConfigureAwait(false))
    Console.WriteLine(phase.Format(run.Name, count));
Console.Error.WriteLine($"measured round done after {clock.ElapsedMilliseconds} ms");
return 0;
