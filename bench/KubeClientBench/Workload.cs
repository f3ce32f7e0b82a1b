namespace Cdi.Bench.KubeClient;

/// <summary>One round: informer up, N creates by 4 writers until the informer holds all N, then full lists.</summary>
internal static class Workload
{
    public const int Writers = 4;

    public static async Task<IReadOnlyList<Phase>> RunAsync(IClientRun run, int count, int lists, CancellationToken cancellationToken)
    {
        var ns = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await run.CreateNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        try
        {
            var phases = new List<Phase>();
            var meter = new PhaseMeter();
            var allCached = await run.StartInformerAsync(ns, count, cancellationToken).ConfigureAwait(false);
            var next = -1;
            var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                    await run.CreateConfigMapAsync(ns, i, cancellationToken).ConfigureAwait(false);
            }, cancellationToken)).ToArray();
            await Task.WhenAll(writers).ConfigureAwait(false);
            var created = meter.Stop("create");
            await allCached.WaitAsync(cancellationToken).ConfigureAwait(false);
            phases.Add(created);
            phases.Add(meter.Stop("create+watch"));

            meter = new PhaseMeter();
            for (var i = 0; i < lists; i++)
            {
                var seen = await run.ListConfigMapsAsync(ns, cancellationToken).ConfigureAwait(false);
                if (seen != count) throw new InvalidOperationException($"list returned {seen} ConfigMaps, expected {count}");
            }
            phases.Add(meter.Stop($"list-x{lists}"));
            return phases;
        }
        finally
        {
            await run.DeleteNamespaceAsync(ns, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
