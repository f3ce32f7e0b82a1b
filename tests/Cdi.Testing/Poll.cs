namespace Cdi.Testing;

/// <summary>
/// The one way tests wait: look at a condition until it holds or a deadline passes. Between looks the wait is a
/// timer tick, so a wait always ends on the condition (or gives up at the deadline), never on an interval alone.
/// </summary>
public static class Poll
{
    /// <summary>How often a wait looks again unless told otherwise.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>True once <paramref name="condition"/> holds; false when <paramref name="timeout"/> passed first (after one last look).</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? every = null,
        CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var ticks = new PeriodicTimer(every ?? Interval);
        while (!await condition().ConfigureAwait(false))
        {
            try
            {
                await ticks.WaitForNextTickAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await condition().ConfigureAwait(false);
            }
        }
        return true;
    }

    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? every = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, every, cancellationToken);

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, TimeSpan?, CancellationToken)"/>, but throws a
    /// <see cref="TimeoutException"/> naming <paramref name="what"/> when the deadline passes.</summary>
    public static async Task OrThrowAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? every = null)
    {
        if (!await UntilAsync(condition, timeout, every).ConfigureAwait(false))
        {
            throw new TimeoutException($"timed out after {timeout} waiting for {what()}");
        }
    }

    public static Task OrThrowAsync(Func<bool> condition, TimeSpan timeout, Func<string> what, TimeSpan? every = null) =>
        OrThrowAsync(() => Task.FromResult(condition()), timeout, what, every);

    /// <summary>For synchronous tests: blocks until the condition holds or the deadline passes.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? every = null) =>
        UntilAsync(condition, timeout, every).GetAwaiter().GetResult();

    /// <summary>Completes (cancelled) when <paramref name="token"/> is cancelled: for fakes that must block until stopped.</summary>
    public static Task UntilCancelledAsync(CancellationToken token)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = token.Register(() => stopped.TrySetCanceled(token));
        return stopped.Task.ContinueWith(t => { registration.Dispose(); return t; }, TaskScheduler.Default).Unwrap();
    }
}
