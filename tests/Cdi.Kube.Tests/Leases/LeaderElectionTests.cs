using Cdi.Testing.Time;
using Cdi.Kube.Leases;
using Cdi.Kube.Rest;
using Cdi.Kube.Tests.Support;

namespace Cdi.Kube.Tests.Leases;

[Collection(LocalClusterCollection.Name)]
public sealed class LeaderElectionTests(LocalClusterFixture cluster)
{
    [Fact]
    public async Task One_candidate_leads_and_the_other_takes_over_only_after_the_lease_expires()
    {
        var ns = await cluster.NewNamespaceAsync();
        var time = new ManualTimeProvider();
        var a = new LeaderElector(cluster.Client, new LeaderElectionConfig(ns, "lock", "a"), time);
        var b = new LeaderElector(cluster.Client, new LeaderElectionConfig(ns, "lock", "b"), time);

        (await a.TryAcquireOrRenewAsync()).Should().BeTrue();
        (await b.TryAcquireOrRenewAsync()).Should().BeFalse();
        b.ObservedLeader.Should().Be("a");

        time.Advance(TimeSpan.FromSeconds(10));
        (await a.TryAcquireOrRenewAsync()).Should().BeTrue("the holder renews");
        time.Advance(TimeSpan.FromSeconds(10));
        (await b.TryAcquireOrRenewAsync()).Should().BeFalse("a renewed 10 s ago: within the 15 s lease");

        time.Advance(TimeSpan.FromSeconds(16)); // a stops renewing
        (await b.TryAcquireOrRenewAsync()).Should().BeTrue();
        b.IsLeader.Should().BeTrue();
        (await a.TryAcquireOrRenewAsync()).Should().BeFalse("b holds a fresh lease now");
        a.IsLeader.Should().BeFalse();

        var lease = await cluster.Client.GetAsync(KubeResources.Leases, "lock", ns);
        lease.Spec!.HolderIdentity.Should().Be("b");
        lease.Spec.LeaseTransitions.Should().Be(1);
    }

    [Fact]
    public async Task RunAsync_hands_leadership_over_when_the_leader_stops_renewing()
    {
        var ns = await cluster.NewNamespaceAsync();
        var time = new ManualTimeProvider();
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        LeaderElector Candidate(string id) => new(cluster.Client, new LeaderElectionConfig(ns, "run-lock", id) { ReleaseOnCancel = false }, time)
        {
            OnStartedLeading = async token =>
            {
                events.Enqueue("start " + id);
                await Cdi.Testing.Poll.UntilCancelledAsync(token).ContinueWith(_ => { }, TaskScheduler.Default);
            },
            OnStoppedLeading = () => events.Enqueue("stop " + id),
        };
        var a = Candidate("a");
        var b = Candidate("b");
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Eventually.UntilAsync(() => a.IsLeader, "a to lead");
        var runB = b.RunAsync(stopB.Token);
        await Eventually.UntilAsync(() => b.ObservedLeader == "a", "b to see a leading");
        b.IsLeader.Should().BeFalse();

        // a crashes: it stops renewing without releasing. Time moves on until b's retries find the lease expired.
        await stopA.CancelAsync();
        await runA;
        await Eventually.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return b.IsLeader;
        }, "b to take over");

        events.Should().StartWith(["start a", "stop a"]).And.Contain("start b");
        await stopB.CancelAsync();
        await runB;
    }
}
