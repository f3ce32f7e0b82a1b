using System.Collections.Concurrent;
using Cdi.Kube.Runtime;

namespace Cdi.Kube.Tests.Runtime;

/// <summary>A reconciler that answers each call with the next scripted step (then Done), and logs what it was asked.</summary>
internal sealed class ScriptedReconciler : IReconciler<string>
{
    private readonly ConcurrentQueue<Func<ReconcileResult>> _steps = new();

    public ConcurrentQueue<string> Calls { get; } = new();
    public ConcurrentQueue<(string Key, TerminalReconcileException Failure)> Recorded { get; } = new();
    public Func<Exception?> RecordFault { get; set; } = () => null;

    public void Then(Func<ReconcileResult> step) => _steps.Enqueue(step);

    public Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        Calls.Enqueue(key);
        return Task.FromResult(_steps.TryDequeue(out var step) ? step() : ReconcileResult.Done);
    }

    public Task RecordTerminalAsync(string key, TerminalReconcileException failure, CancellationToken cancellationToken)
    {
        if (RecordFault() is { } fault) throw fault;
        Recorded.Enqueue((key, failure));
        return Task.CompletedTask;
    }
}
