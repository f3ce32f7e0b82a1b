using System.Diagnostics;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Watching;

namespace Cdi.Bench.KubeWatch;

/// <summary>Creates N ConfigMaps (4 writers) in a fresh namespace while one watch counts them arriving.</summary>
internal static class WatchRun
{
    public sealed record Result(TimeSpan Created, TimeSpan Observed);

    public static async Task<Result> RunAsync(KubeClient client, int count, CancellationToken cancellationToken)
    {
        var ns = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateAsync(KubeResources.Namespaces, new Namespace { Metadata = new ObjectMeta { Name = ns } }, null, cancellationToken)
            .ConfigureAwait(false);
        var from = (await client.ListAsync(KubeResources.ConfigMaps, ns, null, cancellationToken).ConfigureAwait(false)).Metadata.ResourceVersion;

        var clock = Stopwatch.StartNew();
        var observed = TimeSpan.Zero;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromMinutes(5));
        var watching = Task.Run(async () =>
        {
            var seen = 0;
            await foreach (var e in client.WatchAsync(KubeResources.ConfigMaps, ns, new WatchOptions { ResourceVersion = from }, stop.Token)
                               .ConfigureAwait(false))
            {
                if (e.Type == WatchEventType.Added && ++seen == count)
                {
                    observed = clock.Elapsed;
                    return;
                }
            }
        }, stop.Token);

        var next = -1;
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
                {
                    Metadata = new ObjectMeta { Name = $"cm-{i:D5}", Namespace = ns },
                    Data = new() { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                }, null, stop.Token).ConfigureAwait(false);
            }
        }, stop.Token)).ToArray();
        await Task.WhenAll(writers).ConfigureAwait(false);
        var created = clock.Elapsed;
        await watching.ConfigureAwait(false);
        await client.DeleteAsync(KubeResources.Namespaces, ns, null, null, cancellationToken).ConfigureAwait(false);
        return new Result(created, observed);
    }
}
