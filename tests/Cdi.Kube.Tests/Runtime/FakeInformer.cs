using Cdi.Kube.Informers;
using Cdi.Kube.Watching;

namespace Cdi.Kube.Tests.Runtime;

/// <summary>An informer whose loop a test scripts: it dies with the queued exceptions, then runs until cancelled.</summary>
internal sealed class FakeInformer(string resource, bool synced = true) : IInformer
{
    private readonly Queue<Exception> _deaths = new();
    private readonly TaskCompletionSource _sync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public string Resource { get; } = resource;
    public bool HasSynced => synced || _sync.Task.IsCompleted;
    public ReflectorStatus Status { get; set; } = new(0, null, null);
    public int Runs => Volatile.Read(ref _runs);

    public void DieWith(Exception e) => _deaths.Enqueue(e);

    public void MarkSynced() => _sync.TrySetResult();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        if (_deaths.TryDequeue(out var e)) throw e;
        await Cdi.Testing.Poll.UntilCancelledAsync(cancellationToken);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => synced ? Task.CompletedTask : _sync.Task.WaitAsync(cancellationToken);
}
