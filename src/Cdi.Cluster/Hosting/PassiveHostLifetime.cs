using Microsoft.Extensions.Hosting;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// Replaces the console lifetime: the cluster host is a library and must not take over SIGTERM/Ctrl+C handling
/// (the CLI decides what a signal means; tests run several hosts in one process).
/// </summary>
public sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
