using Microsoft.Extensions.Hosting;

namespace Cdi.Worker.Hosting;

/// <summary>
/// Replaces the console lifetime of the worker's web hosts: SIGTERM means "stop the work and report" to the worker
/// (<see cref="WorkerCommands"/>), so the hosts must not take signal handling over.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
