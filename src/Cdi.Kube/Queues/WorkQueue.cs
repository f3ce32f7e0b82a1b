namespace Cdi.Kube.Queues;

/// <summary>
/// A controller work queue: an item waiting is queued once however often it is added; an item being processed
/// (between <see cref="GetAsync"/> and <see cref="Done"/>) is never handed out again until Done, and if it was
/// added meanwhile it is queued again at Done. Delays (<see cref="AddAfter"/>, <see cref="AddRateLimited"/>) run on
/// the given TimeProvider.
/// </summary>
public sealed class WorkQueue<T> : IDisposable where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, (DateTimeOffset ReadyAt, ITimer Timer)> _waiting = [];
    private readonly TimeProvider _time;
    private readonly IRateLimiter<T> _limiter;
    private TaskCompletionSource _changed = NewSignal();
    private bool _shuttingDown;

    public WorkQueue(TimeProvider? timeProvider = null, IRateLimiter<T>? rateLimiter = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _limiter = rateLimiter ?? RateLimiters.DefaultController<T>(_time);
    }

    /// <summary>Items queued and ready (not counting delayed or in-process ones).</summary>
    public int Count { get { lock (_gate) return _queue.Count; } }

    public bool IsShuttingDown { get { lock (_gate) return _shuttingDown; } }

    public void Add(T item)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(item)) return;
            if (_processing.Contains(item)) return; // re-queued by Done
            _queue.Enqueue(item);
            wake = Swap();
        }
        wake.TrySetResult();
    }

    /// <summary>Adds once <paramref name="delay"/> has passed; of several pending delays for one item the earliest wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        lock (_gate)
        {
            if (_shuttingDown) return;
            var readyAt = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var pending))
            {
                if (pending.ReadyAt <= readyAt) return;
                pending.Timer.Dispose();
            }
            var timer = _time.CreateTimer(state => Fire(item, (DateTimeOffset)state!), readyAt, delay, Timeout.InfiniteTimeSpan);
            _waiting[item] = (readyAt, timer);
        }
    }

    /// <summary>Adds after the rate limiter's delay for this item (exponential per-item backoff by default).</summary>
    public void AddRateLimited(T item) => AddAfter(item, _limiter.When(item));

    /// <summary>Clears the item's backoff: call when it was processed successfully.</summary>
    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>The next item, or (default, true) once shut down and empty. Call <see cref="Done"/> after processing.</summary>
    public async Task<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_queue.Count > 0)
                {
                    var item = _queue.Dequeue();
                    _processing.Add(item);
                    _dirty.Remove(item);
                    return (item, false);
                }
                if (_shuttingDown) return (default!, true);
                signal = _changed.Task;
            }
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Done(T item)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item))
            {
                _queue.Enqueue(item);
                wake = Swap();
            }
        }
        wake?.TrySetResult();
    }

    /// <summary>Stops accepting items; waiters get Shutdown once the queue is empty. Delayed items are dropped.</summary>
    public void ShutDown()
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var (_, timer) in _waiting.Values) timer.Dispose();
            _waiting.Clear();
            wake = Swap();
        }
        wake.TrySetResult();
    }

    public void Dispose() => ShutDown();

    // A replaced timer may still fire once; its readyAt no longer matches, so it does nothing.
    private void Fire(T item, DateTimeOffset readyAt)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(item, out var pending) || pending.ReadyAt != readyAt) return;
            _waiting.Remove(item);
            pending.Timer.Dispose();
        }
        Add(item);
    }

    // Waiters hold the current signal's task; completing it (outside the lock) wakes them all to re-check.
    private TaskCompletionSource Swap()
    {
        var old = _changed;
        _changed = NewSignal();
        return old;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
