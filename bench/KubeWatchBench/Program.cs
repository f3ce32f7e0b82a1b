using System.Diagnostics;
using Cdi.Bench.KubeWatch;
using Cdi.Cluster.Hosting;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;

// Usage: KubeWatchBench [COUNT] [KUBECONFIG]
// Without a kubeconfig it hosts a fresh local cluster in-process (real HTTPS on 127.0.0.1) in a temporary folder.
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var kubeconfig = args.Length > 1 ? args[1] : null;

ClusterHost? host = null;
var dir = Directory.CreateTempSubdirectory("cdi-watch-bench-").FullName;
try
{
    if (kubeconfig is null)
    {
        host = new ClusterHost(new ClusterHostOptions(dir) { Port = 0 }, []);
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        kubeconfig = host.KubeconfigPath;
    }
    using var client = new KubeClient(KubeConfigLoader.FromFile(kubeconfig));
    var result = await WatchRun.RunAsync(client, count, CancellationToken.None).ConfigureAwait(false);
    Console.WriteLine($"objects:               {count}");
    Console.WriteLine($"created in:            {result.Created.TotalMilliseconds:F0} ms ({count / result.Created.TotalSeconds:F0}/s)");
    Console.WriteLine($"all observed in:       {result.Observed.TotalMilliseconds:F0} ms ({count / result.Observed.TotalSeconds:F0}/s)");
    Console.WriteLine($"last event after last create: {(result.Observed - result.Created).TotalMilliseconds:F0} ms");
}
finally
{
    if (host is not null) await host.DisposeAsync().ConfigureAwait(false);
    Directory.Delete(dir, recursive: true);
}
