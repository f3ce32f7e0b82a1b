using System.Diagnostics;
using Cdi.Kube.Informers;
using Cdi.Kube.Queues;
using Cdi.Kube.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cdi.Kube.Runtime;

/// <summary>
/// One way to run a control loop, in the spirit of controller-runtime: informers map what they see to keys on a
/// rate-limited <see cref="WorkQueue{T}"/>; once every informer has synced, N workers hand keys to an
/// <see cref="IReconciler{TKey}"/>, never the same key to two at once. What the runtime guarantees:
/// <list type="bullet">
/// <item>a reconcile that throws is contained, logged, and retried with the key's exponential backoff;</item>
/// <item>a 409 Conflict is retried the same way, quietly: the next pass reads the fresh object from the cache;</item>
/// <item>a <see cref="TerminalReconcileException"/> is not retried but recorded by the reconciler (retried until it is);</item>
/// <item>an informer whose loop dies is restarted with backoff (it relists), and shows in <see cref="Health"/> meanwhile.</item>
/// </list>
/// </summary>
public sealed class Controller<TKey> : IControllerStatus, IDisposable where TKey : notnull
{
    private readonly ControllerSettings _settings;
    private readonly string _name;
    private readonly IReconciler<TKey> _reconciler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkQueue<TKey> _queue;
    private readonly List<SupervisedInformer> _informers = [];
    private readonly Lock _gate = new();
    private long _reconciles;
    private long _failures;
    private long _conflicts;
    private long _terminal;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private int _running;

    public Controller(ControllerSettings settings, IReconciler<TKey> reconciler, TimeProvider? time = null, ILogger? logger = null,
        IRateLimiter<TKey>? rateLimiter = null)
    {
        _settings = settings;
        _name = settings.Name;
        _reconciler = reconciler;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _queue = new WorkQueue<TKey>(_time, rateLimiter ?? RateLimiters.DefaultController<TKey>(_time));
    }

    public string Name => _settings.Name;

    /// <summary>Reconciles by outcome and duration, for <c>/metrics</c>.</summary>
    public ReconcileMetrics Metrics { get; } = new();

    /// <summary>After each reconcile: the key, how it ended, how long it took (for latency figures).</summary>
    public event Action<TKey, ReconcileOutcome, TimeSpan>? Reconciled;

    /// <summary>
    /// Enqueues the keys <paramref name="keys"/> maps each added, updated (old and new) or deleted object to.
    /// <paramref name="start"/> false: another controller runs this informer; this one waits for it and reports it.
    /// </summary>
    public Controller<TKey> Watch<T>(INotifyingInformer<T> informer, Func<T, IEnumerable<TKey>> keys, bool start = true) where T : class
    {
        Cache(informer, start);
        informer.Added += o => EnqueueFor(informer, keys, o, null);
        informer.Updated += (old, o) => EnqueueFor(informer, keys, o, old);
        informer.Deleted += o => EnqueueFor(informer, keys, o, null);
        return this;
    }

    /// <summary>An informer the reconciler reads but whose changes enqueue nothing: synced before the first reconcile.</summary>
    public Controller<TKey> Cache(IInformer informer, bool start = true)
    {
        if (Volatile.Read(ref _running) != 0) throw new InvalidOperationException("informers are added before the controller runs");
        _informers.Add(new SupervisedInformer(informer, start));
        return this;
    }

    public void Enqueue(TKey key) => _queue.Add(key);

    public void EnqueueAfter(TKey key, TimeSpan delay) => _queue.AddAfter(key, delay);

    /// <summary>True once every informer has synced (and so workers reconcile).</summary>
    public bool Synced => _informers.All(i => i.Informer.HasSynced);

    public ControllerHealth Health
    {
        get
        {
            lock (_gate)
            {
                return new ControllerHealth(Name, [.. _informers.Select(i => i.Health())], _queue.Count,
                    _reconciles, _failures, _conflicts, _terminal, _lastError, _lastErrorAt);
            }
        }
    }

    /// <summary>Runs informers, waits for them to sync, then reconciles until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException($"controller {Name} already ran");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var supervisors = _informers.Where(i => i.Start).Select(i => SuperviseAsync(i, stop.Token)).ToList();
        var workers = new List<Task>();
        try
        {
            await Task.WhenAll(_informers.Select(i => i.Informer.WaitForSyncAsync(stop.Token))).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug)) _logger.LogDebug("{Controller}: caches synced, starting {Workers} workers", _name, _settings.Workers);
            workers.AddRange(Enumerable.Range(0, _settings.Workers).Select(_ => WorkAsync(stop.Token)));
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.ShutDown();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers.Concat(supervisors)).ConfigureAwait(false);
        }
    }

    public void Dispose() => _queue.Dispose();

    private void EnqueueFor<T>(IInformer informer, Func<T, IEnumerable<TKey>> keys, T obj, T? old) where T : class
    {
        // A mapping bug must not take the informer's loop (and so every later event) with it.
        try
        {
            foreach (var key in keys(obj)) _queue.Add(key);
            if (old is not null)
            {
                foreach (var key in keys(old)) _queue.Add(key);
            }
        }
        catch (Exception e)
        {
            var resource = informer.Resource;
            _logger.LogError(e, "{Controller}: mapping a {Resource} event to keys failed", _name, resource);
        }
    }

    private async Task SuperviseAsync(SupervisedInformer supervised, CancellationToken cancellationToken)
    {
        var delay = _settings.InformerRestartDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await supervised.Informer.RunAsync(cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested) return;
                throw new InvalidOperationException("the informer loop returned while the controller runs");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                supervised.Died(e, _time.GetUtcNow());
                var resource = supervised.Informer.Resource;
                _logger.LogError(e, "{Controller}: informer for {Resource} died; restarting in {Delay}", _name, resource, delay);
            }
            // A loop that ran a good while before dying starts its backoff over.
            if (_time.GetElapsedTime(started) > _settings.MaxInformerRestartDelay) delay = _settings.InformerRestartDelay;
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxInformerRestartDelay.Ticks));
            supervised.Restarted();
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutdown) = await _queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shutdown) return;
            var started = _time.GetTimestamp();
            ReconcileOutcome outcome;
            try
            {
                outcome = await ReconcileOneAsync(key, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _queue.Done(key);
            }
            var took = _time.GetElapsedTime(started);
            Metrics.Observe(outcome, took);
            Reconciled?.Invoke(key, outcome, took);
        }
    }

    private async Task<ReconcileOutcome> ReconcileOneAsync(TKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reconciles);
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            if (result.Requeue)
            {
                _queue.AddRateLimited(key);
                return ReconcileOutcome.Requeued;
            }
            _queue.Forget(key);
            if (result.RequeueAfter is { } after) _queue.AddAfter(key, after);
            return result.RequeueAfter is null ? ReconcileOutcome.Done : ReconcileOutcome.Requeued;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ReconcileOutcome.Failed;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            // Someone wrote first; the cache brings the newer object, and the next pass decides from it.
            Interlocked.Increment(ref _conflicts);
            if (_logger.IsEnabled(LogLevel.Debug)) _logger.LogDebug("{Controller}: {Key}: conflict, requeued: {Message}", _name, key, e.Message);
            _queue.AddRateLimited(key);
            return ReconcileOutcome.Conflict;
        }
        catch (TerminalReconcileException e)
        {
            Interlocked.Increment(ref _terminal);
            _logger.LogWarning("{Controller}: {Key}: terminal failure {Reason}: {Message}", _name, key, e.Reason, e.Message);
            try
            {
                await _reconciler.RecordTerminalAsync(key, e, cancellationToken).ConfigureAwait(false);
                _queue.Forget(key);
            }
            catch (Exception recordFailure) when (recordFailure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Failed(key, recordFailure, "recording a terminal failure failed");
            }
            return ReconcileOutcome.Terminal;
        }
        catch (Exception e)
        {
            Failed(key, e, "reconcile failed");
            return ReconcileOutcome.Failed;
        }
    }

    private void Failed(TKey key, Exception e, string what)
    {
        Interlocked.Increment(ref _failures);
        lock (_gate)
        {
            _lastError = $"{key}: {e.GetType().Name}: {e.Message}";
            _lastErrorAt = _time.GetUtcNow();
        }
        if (e is KubeApiException or HttpRequestException or IOException)
        {
            var message = e.Message;
            _logger.LogWarning("{Controller}: {Key}: {What}, retrying with backoff: {Message}", _name, key, what, message);
        }
        else
        {
            _logger.LogError(e, "{Controller}: {Key}: {What}, retrying with backoff", _name, key, what);
        }
        _queue.AddRateLimited(key);
    }
}
