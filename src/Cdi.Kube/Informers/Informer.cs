using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Watching;

namespace Cdi.Kube.Informers;

/// <summary>
/// A local, always-current cache of one resource, fed by a <see cref="Reflector{T}"/>, with add/update/delete
/// notifications. Handlers run on the informer's own loop, one at a time: keep them short (enqueue a key, typically).
/// </summary>
public sealed class Informer<T> : IReflectorSink<T>, INotifyingInformer<T> where T : class
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Informer(KubeClient client, ResourceType<T> type, string? @namespace = null, ReflectorOptions? options = null)
    {
        Reflector = new Reflector<T>(client, type, @namespace, this, options);
        Resource = string.IsNullOrEmpty(@namespace) ? type.Descriptor.Plural : $"{type.Descriptor.Plural} in {@namespace}";
    }

    public string Resource { get; }

    public ReflectorStatus Status => Reflector.Status;

    public InformerStore<T> Store { get; } = new();
    public Reflector<T> Reflector { get; }

    public event Action<T>? Added;
    /// <summary>(old, new).</summary>
    public event Action<T, T>? Updated;
    public event Action<T>? Deleted;

    /// <summary>True once the first list has been stored.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public Task RunAsync(CancellationToken cancellationToken) => Reflector.RunAsync(cancellationToken);

    void IReflectorSink<T>.Replace(IReadOnlyList<T> items, string resourceVersion)
    {
        var fresh = new HashSet<string>(items.Select(ObjectMetaAccessor.Key), StringComparer.Ordinal);
        // What vanished while we were not watching is reported as deleted, as client-go's DeletedFinalStateUnknown would.
        foreach (var gone in Store.List().Where(o => !fresh.Contains(ObjectMetaAccessor.Key(o))))
        {
            Store.Remove(gone);
            Deleted?.Invoke(gone);
        }
        foreach (var item in items) Notify(item);
        _synced.TrySetResult();
    }

    void IReflectorSink<T>.Apply(WatchEvent<T> watchEvent)
    {
        if (watchEvent.Type == WatchEventType.Deleted)
        {
            Store.Remove(watchEvent.Object);
            Deleted?.Invoke(watchEvent.Object);
        }
        else
        {
            Notify(watchEvent.Object);
        }
    }

    private void Notify(T item)
    {
        var old = Store.Upsert(item);
        if (old is null) Added?.Invoke(item);
        else if (ObjectMetaAccessor.Get(old).ResourceVersion != ObjectMetaAccessor.Get(item).ResourceVersion) Updated?.Invoke(old, item);
    }
}
