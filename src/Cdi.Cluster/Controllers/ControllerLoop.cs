using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;
using Microsoft.Extensions.Logging;

namespace Cdi.Cluster.Controllers;

/// <summary>
/// Feeds every committed change to a handler, after a full resync; re-subscribes (and resyncs) when cut off as a slow
/// watcher. Handler failures are logged and do not stop the loop.
/// </summary>
internal static class ControllerLoop
{
    public static async Task RunAsync(ObjectStore store, string name, Action resync, Action<WatchEvent> handle, ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            using var subscription = store.Watch(null, store.ResourceVersion);
            Guard(name, resync, logger);
            try
            {
                await foreach (var e in subscription.Events.ReadAllAsync(stopping).ConfigureAwait(false))
                {
                    Guard(name, () => handle(e), logger);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static void Guard(string name, Action action, ILogger logger)
    {
        try
        {
            action();
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Lost a race with another writer: the next event brings the loop back to it.
        }
        catch (Exception e)
        {
            logger.LogError(e, "controller {Name} failed", name);
        }
    }
}
