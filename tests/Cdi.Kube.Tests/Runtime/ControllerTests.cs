using Cdi.Kube.Models;
using Cdi.Kube.Rest;
using Cdi.Kube.Runtime;
using Cdi.Kube.Tests.Support;
using Cdi.Testing.Time;

namespace Cdi.Kube.Tests.Runtime;

/// <summary>The controller runtime's guarantees, on a manual clock: faults contained and backed off, terminal failures recorded once, dead informers restarted and visible.</summary>
public sealed class ControllerTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedReconciler _reconciler = new();

    private Controller<string> NewController(params FakeInformer[] informers)
    {
        var c = new Controller<string>(new ControllerSettings("test") { Workers = 2 }, _reconciler, _time);
        foreach (var i in informers) c.Cache(i);
        return c;
    }

    private static async Task<(Task Run, CancellationTokenSource Stop)> StartAsync(Controller<string> c)
    {
        var stop = new CancellationTokenSource();
        var run = c.RunAsync(stop.Token);
        await Task.Yield();
        return (run, stop);
    }

    [Fact]
    public async Task A_throwing_reconcile_is_contained_and_retried_after_its_backoff()
    {
        using var c = NewController(new FakeInformer("things"));
        _reconciler.Then(() => throw new InvalidOperationException("boom"));
        var (run, stop) = await StartAsync(c);
        var timers = _time.PendingTimers;
        c.Enqueue("a");
        await Eventually.UntilAsync(() => c.Health.Failures == 1, "the failure is counted");
        await Eventually.UntilAsync(() => _time.PendingTimers > timers, "the backoff's timer is armed");
        _reconciler.Calls.Should().HaveCount(1, "the retry waits for its backoff on the clock");
        c.Health.LastError.Should().Contain("boom").And.Contain("a:");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.UntilAsync(() => _reconciler.Calls.Count == 2, "the key is retried after 5 ms");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_conflict_requeues_quietly_and_converges()
    {
        using var c = NewController(new FakeInformer("things"));
        _reconciler.Then(() => throw new KubeApiException(new Status { Code = 409, Reason = "Conflict", Message = "the object has been modified" }));
        var (run, stop) = await StartAsync(c);
        var timers = _time.PendingTimers;
        c.Enqueue("a");
        await Eventually.UntilAsync(() => c.Health.Conflicts == 1, "the conflict is counted");
        await Eventually.UntilAsync(() => _time.PendingTimers > timers, "the requeue's timer is armed");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.UntilAsync(() => _reconciler.Calls.Count == 2, "the key is reconciled again");
        c.Health.Failures.Should().Be(0, "a conflict is not a failure");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_terminal_failure_is_recorded_once_and_not_retried()
    {
        using var c = NewController(new FakeInformer("things"));
        _reconciler.Then(() => throw new TerminalReconcileException("ErrInvalidSize", "size 1Gb is not a quantity"));
        var (run, stop) = await StartAsync(c);
        c.Enqueue("a");
        await Eventually.UntilAsync(() => _reconciler.Recorded.Count == 1, "the terminal failure is recorded");
        _reconciler.Recorded.Single().Failure.Reason.Should().Be("ErrInvalidSize");
        _time.Advance(TimeSpan.FromHours(1));
        c.Enqueue("b");
        await Eventually.UntilAsync(() => _reconciler.Calls.Contains("b"), "the workers still run");
        _reconciler.Calls.Count(k => k == "a").Should().Be(1, "a terminal failure is not retried");
        c.Health.TerminalFailures.Should().Be(1);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_terminal_failure_whose_recording_fails_is_retried_until_recorded()
    {
        using var c = NewController(new FakeInformer("things"));
        var recordFaults = 1;
        _reconciler.RecordFault = () => recordFaults-- > 0 ? new HttpRequestException("server away") : null;
        _reconciler.Then(() => throw new TerminalReconcileException("ErrInvalidSize", "bad"));
        _reconciler.Then(() => throw new TerminalReconcileException("ErrInvalidSize", "bad"));
        var (run, stop) = await StartAsync(c);
        c.Enqueue("a");
        await Eventually.UntilAsync(() => c.Health.Failures == 1, "the failed recording counts as a failure");
        _reconciler.Recorded.Should().BeEmpty();
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.UntilAsync(() => _reconciler.Recorded.Count == 1, "the retry records it");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task RequeueAfter_brings_the_key_back_on_the_clock()
    {
        using var c = NewController(new FakeInformer("things"));
        _reconciler.Then(() => ReconcileResult.After(TimeSpan.FromSeconds(2)));
        var (run, stop) = await StartAsync(c);
        var timers = _time.PendingTimers;
        c.Enqueue("a");
        await Eventually.UntilAsync(() => _reconciler.Calls.Count == 1, "first reconcile");
        // The result is handled after the call returns: the clock moves only once the requeue's timer is armed, or
        // the timer would start from the advanced time and never come due in this test.
        await Eventually.UntilAsync(() => _time.PendingTimers > timers, "the requeue's timer is armed");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Yield();
        _reconciler.Calls.Should().HaveCount(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => _reconciler.Calls.Count == 2, "requeued after 2 s");
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Workers_wait_until_every_informer_has_synced()
    {
        var slow = new FakeInformer("slow", synced: false);
        using var c = NewController(new FakeInformer("fast"), slow);
        var (run, stop) = await StartAsync(c);
        c.Enqueue("a");
        c.Synced.Should().BeFalse();
        c.Health.Healthy.Should().BeFalse("an unsynced cache is not healthy");
        c.Health.QueueDepth.Should().Be(1);
        _reconciler.Calls.Should().BeEmpty("nothing is decided from a cache that has not listed yet");
        slow.MarkSynced();
        await Eventually.UntilAsync(() => _reconciler.Calls.Count == 1, "reconciles once synced");
        c.Health.Healthy.Should().BeTrue();
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_dying_informer_is_visible_and_restarted_with_backoff()
    {
        var informer = new FakeInformer("pods");
        informer.DieWith(new InvalidOperationException("handler bug"));
        informer.DieWith(new InvalidOperationException("handler bug again"));
        using var c = NewController(informer);
        var (run, stop) = await StartAsync(c);
        await Eventually.UntilAsync(() => c.Health.Informers[0].Failing, "the death shows in health");
        var health = c.Health.Informers.Single();
        health.Resource.Should().Be("pods");
        health.LastError.Should().Contain("handler bug");
        health.LastErrorAt.Should().Be(_time.GetUtcNow());
        c.Health.Healthy.Should().BeFalse();

        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => informer.Runs == 2, "restarted after 1 s");
        await Eventually.UntilAsync(() => c.Health.Informers[0].LastError!.Contains("again"), "the second death is seen");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.Yield();
        informer.Runs.Should().Be(2, "the second restart waits twice as long");
        _time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => informer.Runs == 3, "restarted after 2 s more");
        await Eventually.UntilAsync(() => !c.Health.Informers[0].Failing, "running again");
        c.Health.Informers[0].Restarts.Should().Be(2);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_failing_reflector_shows_in_health()
    {
        var informer = new FakeInformer("claims") { Status = new(3, "HttpRequestException: connection refused", DateTimeOffset.UnixEpoch) };
        using var c = NewController(informer);
        c.Health.Informers.Single().Should().BeEquivalentTo(new InformerHealth("claims", true, true, 0, "HttpRequestException: connection refused", DateTimeOffset.UnixEpoch));
        c.Health.Healthy.Should().BeFalse();
        informer.Status = new(0, "HttpRequestException: connection refused", DateTimeOffset.UnixEpoch);
        c.Health.Healthy.Should().BeTrue("it recovered; the last error stays for diagnosis");
    }

    [Fact]
    public void Expectations_hold_until_the_cache_shows_the_write_or_they_expire()
    {
        var e = new Expectations(_time, TimeSpan.FromMinutes(5));
        e.ExpectCreated("ns/importer-a", "uid-2");
        e.Satisfied("ns/importer-a", null).Should().BeFalse("the cache has not seen the create yet");
        e.Satisfied("ns/importer-a", "uid-1").Should().BeFalse("an older object of that name is not the one created");
        e.Satisfied("ns/importer-a", "uid-2").Should().BeTrue();
        e.Count.Should().Be(0);

        e.ExpectDeleted("ns/importer-a", "uid-2");
        e.Satisfied("ns/importer-a", "uid-2").Should().BeFalse("the cache still shows the deleted pod");
        _time.Advance(TimeSpan.FromMinutes(5));
        e.Satisfied("ns/importer-a", "uid-2").Should().BeTrue("a lost watch event does not block the key forever");
        e.Satisfied("ns/other", null).Should().BeTrue();
    }
}
