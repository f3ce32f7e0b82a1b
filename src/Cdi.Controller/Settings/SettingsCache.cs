using Microsoft.Extensions.Logging;

namespace Cdi.Controller.Settings;

/// <summary>
/// The latest effective settings for DataVolume decisions, refreshed when storage classes change and every
/// <see cref="Period"/> (CDIConfig edits), so reconciles read them without extra API calls.
/// </summary>
public sealed class SettingsCache(ClusterSettingsReconciler reconciler, EffectiveSettings initial, TimeProvider time, ILogger logger) : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _poke = new(0, 1);
    private EffectiveSettings _current = initial;

    public EffectiveSettings Current => Volatile.Read(ref _current);

    public void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // A refresh is already due.
        }
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            Volatile.Write(ref _current, await reconciler.ReconcileAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Keep the last good settings; the next pass tries again.
            logger.LogWarning("cluster settings not refreshed: {Message}", e.Message);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(Period, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await _poke.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _poke.Dispose();
}
