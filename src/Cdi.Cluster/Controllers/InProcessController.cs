using Cdi.Cluster.Storage;
using Cdi.Kube.Runtime;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// An <see cref="IStoreLoop{TKey}"/> run by the controller runtime (<see cref="Controller{TKey}"/>): a rate-limited
/// queue, workers that never share a key, contained failures with backoff, and health — the same runtime as the
/// DataVolume controller, the provisioner and the pod runner, fed by the store instead of an API watch.
/// </summary>
internal sealed class InProcessController<TKey>(IStoreLoop<TKey> loop, ObjectStore store, TimeProvider time, ILogger logger, int workers = 2)
    : IController where TKey : notnull
{
    private Controller<TKey>? _controller;

    public string Name => loop.Name;

    public ControllerHealth? Health => Volatile.Read(ref _controller)?.Health;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var controller = new Controller<TKey>(new ControllerSettings(loop.Name) { Workers = workers },
            new StoreReconciler<TKey>(loop.Reconcile), time, logger);
        controller.Watch(new StoreInformer(store, time), loop.KeysOf);
        Volatile.Write(ref _controller, controller);
        await controller.RunAsync(stopping).ConfigureAwait(false);
    }
}
