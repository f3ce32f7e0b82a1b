using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>Parallel decoders share a budget; one that needs more than the shared part runs alone.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task Leases_beyond_the_shared_part_wait_until_memory_is_given_back()
    {
        using var budget = new MemoryBudget(total: 256, shared: 160);
        using var first = await budget.AcquireAsync(68, CancellationToken.None);
        using var second = await budget.AcquireAsync(68, CancellationToken.None);

        var third = budget.AcquireAsync(68, CancellationToken.None).AsTask();
        third.IsCompleted.Should().BeFalse("three would hold 204 of a shared 160");

        first.Dispose();
        using var lease = await third;
        lease.Bytes.Should().Be(68);
    }

    [Fact]
    public async Task A_lease_larger_than_the_shared_part_is_granted_only_alone()
    {
        using var budget = new MemoryBudget(total: 256, shared: 160);
        var small = await budget.AcquireAsync(10, CancellationToken.None);

        var big = budget.AcquireAsync(200, CancellationToken.None).AsTask();
        big.IsCompleted.Should().BeFalse();

        small.Dispose();
        using var lease = await big;
        var another = budget.AcquireAsync(1, CancellationToken.None).AsTask();
        another.IsCompleted.Should().BeFalse("the big lease holds more than the shared part, so it runs alone");
        lease.Dispose();
        (await another).Dispose();
    }

    [Fact]
    public async Task More_than_the_total_is_refused_and_waiting_can_be_cancelled()
    {
        using var budget = new MemoryBudget(total: 256, shared: 160);
        var act = async () => await budget.AcquireAsync(257, CancellationToken.None);
        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();

        using var held = await budget.AcquireAsync(150, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(100, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await waiting.Awaiting(t => t).Should().ThrowAsync<OperationCanceledException>();
    }
}
