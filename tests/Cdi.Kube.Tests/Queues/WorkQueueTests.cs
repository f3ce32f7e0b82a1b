using Cdi.Testing.Time;
using Cdi.Kube.Queues;
using Cdi.Kube.Tests.Support;

namespace Cdi.Kube.Tests.Queues;

public sealed class WorkQueueTests
{
    [Fact]
    public void Exponential_limiter_doubles_from_5ms_and_caps_at_1000s_as_client_go_default()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var delays = Enumerable.Range(0, 5).Select(_ => limiter.When("a")).ToList();
        delays.Should().Equal(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80));
        for (var i = 0; i < 100; i++) limiter.When("a");
        limiter.When("a").Should().Be(TimeSpan.FromSeconds(1000));
        limiter.When("b").Should().Be(TimeSpan.FromMilliseconds(5), "backoff is per item");
        limiter.NumRequeues("a").Should().Be(106);
        limiter.Forget("a");
        limiter.When("a").Should().Be(TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public void Default_controller_limiter_is_per_item_backoff_until_the_bucket_runs_dry()
    {
        var time = new ManualTimeProvider();
        var limiter = RateLimiters.DefaultController<string>(time);
        limiter.When("x").Should().Be(TimeSpan.FromMilliseconds(5));
        limiter.When("x").Should().Be(TimeSpan.FromMilliseconds(10));
        // 100 tokens of burst: after them, the overall 10/s bucket dominates for fresh items.
        for (var i = 0; i < 98; i++) limiter.When("item" + i);
        limiter.When("late").Should().Be(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Adding_a_queued_key_twice_queues_it_once()
    {
        using var queue = new WorkQueue<string>(new ManualTimeProvider());
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        queue.Count.Should().Be(2);
        (await queue.GetAsync()).Item.Should().Be("a");
        (await queue.GetAsync()).Item.Should().Be("b");
        queue.Count.Should().Be(0);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done()
    {
        using var queue = new WorkQueue<string>(new ManualTimeProvider());
        queue.Add("a");
        var (first, _) = await queue.GetAsync();
        queue.Add("a"); // changed while processing
        queue.Count.Should().Be(0, "the key is in process, so it waits for Done");
        var second = queue.GetAsync();
        second.IsCompleted.Should().BeFalse();
        queue.Done(first);
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Item.Should().Be("a");
    }

    [Fact]
    public async Task Concurrent_workers_never_process_one_key_at_the_same_time()
    {
        using var queue = new WorkQueue<int>(new ManualTimeProvider());
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var overlaps = 0;
        var processed = 0;
        async Task Worker()
        {
            while (true)
            {
                var (item, shutdown) = await queue.GetAsync();
                if (shutdown) return;
                if (inFlight.AddOrUpdate(item, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref overlaps);
                await Task.Yield();
                inFlight.AddOrUpdate(item, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(item);
            }
        }
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Worker)).ToArray();
        for (var round = 0; round < 200; round++)
        {
            for (var key = 0; key < 5; key++) queue.Add(key);
            await Task.Yield();
        }
        await WaitUntil(() => queue.Count == 0);
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        overlaps.Should().Be(0);
        processed.Should().BeGreaterThanOrEqualTo(5);
    }

    [Fact]
    public async Task AddRateLimited_waits_the_backoff_on_the_time_provider_and_Forget_resets_it()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time,
            new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)));
        queue.AddRateLimited("a"); // 5 ms
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(4));
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(1);
        var (item, _) = await queue.GetAsync();
        queue.Done(item);

        queue.AddRateLimited("a"); // 10 ms
        time.Advance(TimeSpan.FromMilliseconds(9));
        queue.Count.Should().Be(0);
        time.Advance(TimeSpan.FromMilliseconds(1));
        queue.Count.Should().Be(1);
        queue.NumRequeues("a").Should().Be(2);
        queue.Forget("a");
        queue.NumRequeues("a").Should().Be(0);
    }

    [Fact]
    public void AddAfter_keeps_the_earliest_of_several_delays()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(2));
        queue.Count.Should().Be(1);
        time.Advance(TimeSpan.FromSeconds(20));
        queue.Count.Should().Be(1, "later delays of an already-added key do not add it again");
    }

    [Fact]
    public async Task ShutDown_wakes_waiters_and_drops_delayed_items()
    {
        var time = new ManualTimeProvider();
        using var queue = new WorkQueue<string>(time);
        var waiter = queue.GetAsync();
        queue.AddAfter("later", TimeSpan.FromSeconds(1));
        queue.ShutDown();
        (await waiter.WaitAsync(TimeSpan.FromSeconds(10))).Shutdown.Should().BeTrue();
        time.PendingTimers.Should().Be(0);
        queue.Add("x");
        queue.Count.Should().Be(0);
    }

    private static Task WaitUntil(Func<bool> condition) =>
        Cdi.Testing.Poll.OrThrowAsync(condition, TimeSpan.FromSeconds(30), () => "the queue's condition", TimeSpan.FromMilliseconds(10));
}
