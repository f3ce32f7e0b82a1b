using Cdi.Kube.Watching;

namespace Cdi.Kube.Informers;

/// <summary>An informer of any resource, as a controller supervises it: run it, wait for its first list, ask how it fares.</summary>
public interface IInformer
{
    /// <summary>The resource it caches (its plural, and namespace when scoped), for logs and health.</summary>
    string Resource { get; }

    bool HasSynced { get; }

    ReflectorStatus Status { get; }

    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}
