using Cdi.Cluster.ApiServer;
using Cdi.Kube.Runtime;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Runs an in-process reconcile (synchronous: it reads and writes the store directly) under the controller runtime,
/// with the API server's own answers for lost races: a 409 retries with backoff (the next pass reads the store anew),
/// a 404 means the object went, and its delete event brings the loop back if anything is left to do. Nothing the
/// in-process loops meet is terminal.
/// </summary>
internal sealed class StoreReconciler<TKey>(Action<TKey> reconcile) : IReconciler<TKey> where TKey : notnull
{
    public Task<ReconcileResult> ReconcileAsync(TKey key, CancellationToken cancellationToken)
    {
        try
        {
            reconcile(key);
            return Task.FromResult(ReconcileResult.Done);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return Task.FromResult(ReconcileResult.Backoff);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return Task.FromResult(ReconcileResult.Done);
        }
    }

    public Task RecordTerminalAsync(TKey key, TerminalReconcileException failure, CancellationToken cancellationToken) => Task.CompletedTask;
}
