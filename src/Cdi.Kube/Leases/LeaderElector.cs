using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Kube.Leases;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease. Expiry is judged by this process's own clock from when it last
/// saw the lease record change (never by comparing the holder's renewTime with our clock), so clock skew between
/// candidates does not matter. Writes carry the resourceVersion read, so two candidates never both win a round.
/// </summary>
public sealed class LeaderElector
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;
    private LeaseSpec? _observed;
    private long _observedAt;
    private long _lastRenew;

    public LeaderElector(KubeClient client, LeaderElectionConfig config, TimeProvider? timeProvider = null)
    {
        if (config.RenewDeadline >= config.LeaseDuration) throw new ArgumentException("RenewDeadline must be shorter than LeaseDuration", nameof(config));
        _client = client;
        Config = config;
        _time = timeProvider ?? TimeProvider.System;
    }

    public LeaderElectionConfig Config { get; }

    /// <summary>Runs while this candidate leads; its token fires when leadership is lost or the elector stops.</summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }
    public Action? OnStoppedLeading { get; init; }
    /// <summary>Another identity (or ours) was seen holding the lease.</summary>
    public Action<string>? OnNewLeader { get; init; }

    /// <summary>A round that failed (the API unreachable, the lease's namespace missing, no permission): so a candidate never waits silently.</summary>
    public Action<Exception>? OnRoundFailed { get; init; }

    public bool IsLeader { get; private set; }
    public string? ObservedLeader => _observed?.HolderIdentity;

    /// <summary>Acquires, then leads until the lease is lost or the token fires. Returns after leadership ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!await TryRoundAsync(cancellationToken).ConfigureAwait(false))
                await Task.Delay(Config.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = OnStartedLeading is { } start ? Task.Run(() => start(leading.Token), CancellationToken.None) : Task.CompletedTask;
        try
        {
            await RenewLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && Config.ReleaseOnCancel) await TryReleaseAsync().ConfigureAwait(false);
            OnStoppedLeading?.Invoke();
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The leading work stopping on its token is the normal end.
            }
        }
    }

    /// <summary>
    /// One round: create the lease, renew it if ours, or take it over if its holder let it expire.
    /// True when we hold it afterwards. Conflicts (another candidate wrote first) are a plain false.
    /// </summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        try
        {
            var lease = await _client.TryGetAsync(KubeResources.Leases, Config.LeaseName, Config.Namespace, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                var created = await _client.CreateAsync(KubeResources.Leases, new Lease
                {
                    Metadata = new ObjectMeta { Name = Config.LeaseName, Namespace = Config.Namespace },
                    Spec = NewSpec(now, acquire: true, transitions: 0),
                }, Config.Namespace, cancellationToken).ConfigureAwait(false);
                return Won(created.Spec!);
            }

            var spec = lease.Spec ?? new LeaseSpec();
            Observe(spec);
            var holder = spec.HolderIdentity;
            var ours = holder == Config.Identity;
            var duration = spec.LeaseDurationSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : Config.LeaseDuration;
            if (!ours && !string.IsNullOrEmpty(holder) && _time.GetElapsedTime(_observedAt) < duration)
            {
                IsLeader = false;
                return false;
            }
            var renewed = ours
                ? spec with { RenewTime = now, LeaseDurationSeconds = (int)Config.LeaseDuration.TotalSeconds }
                : NewSpec(now, acquire: true, transitions: (spec.LeaseTransitions ?? 0) + 1);
            var updated = await _client.UpdateAsync(KubeResources.Leases, lease with { Spec = renewed }, cancellationToken).ConfigureAwait(false);
            return Won(updated.Spec!);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsAlreadyExists)
        {
            IsLeader = false;
            return false;
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Config.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            bool renewed;
            try
            {
                renewed = await TryRoundAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (renewed) continue;
            // Someone else holds it now: leadership is over at once. Otherwise keep trying until the deadline.
            if (ObservedLeader is { Length: > 0 } other && other != Config.Identity) return;
            if (_time.GetElapsedTime(_lastRenew) >= Config.RenewDeadline) return;
        }
    }

    // A round that fails on the network counts as "not won": keep trying (and, when leading, until the renew deadline).
    private async Task<bool> TryRoundAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is HttpRequestException or IOException or KubeApiException or TaskCanceledException)
                                  && !cancellationToken.IsCancellationRequested)
        {
            OnRoundFailed?.Invoke(e);
            return false;
        }
    }

    private async Task TryReleaseAsync()
    {
        try
        {
            var lease = await _client.TryGetAsync(KubeResources.Leases, Config.LeaseName, Config.Namespace).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != Config.Identity) return;
            await _client.UpdateAsync(KubeResources.Leases, lease with
            {
                Spec = lease.Spec with { HolderIdentity = null, LeaseDurationSeconds = 1, RenewTime = _time.GetUtcNow() },
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or KubeApiException or TaskCanceledException)
        {
            // Best effort: the lease then simply expires.
        }
    }

    private LeaseSpec NewSpec(DateTimeOffset now, bool acquire, int transitions) => new()
    {
        HolderIdentity = Config.Identity,
        LeaseDurationSeconds = (int)Config.LeaseDuration.TotalSeconds,
        AcquireTime = acquire ? now : null,
        RenewTime = now,
        LeaseTransitions = transitions,
    };

    private bool Won(LeaseSpec spec)
    {
        Observe(spec);
        _lastRenew = _time.GetTimestamp();
        IsLeader = true;
        return true;
    }

    private void Observe(LeaseSpec spec)
    {
        if (spec == _observed) return;
        var leaderChanged = spec.HolderIdentity != _observed?.HolderIdentity;
        _observed = spec;
        _observedAt = _time.GetTimestamp();
        if (leaderChanged && !string.IsNullOrEmpty(spec.HolderIdentity)) OnNewLeader?.Invoke(spec.HolderIdentity);
    }
}
