using Cdi.Cluster.Kubelet;

namespace Cdi.Cluster.Tests.Node;

public sealed class PodAddressPoolTests
{
    [Fact]
    public void Every_pod_gets_its_own_loopback_address_and_never_the_hosts()
    {
        var pool = new PodAddressPool();
        var addresses = Enumerable.Range(0, 3000).Select(i => pool.Allocate($"uid-{i}", null)).ToList();
        addresses.Should().OnlyHaveUniqueItems();
        addresses.Should().AllSatisfy(a =>
        {
            a.Should().StartWith("127.").And.NotStartWith("127.0.").And.NotEndWith(".0").And.NotEndWith(".255");
            PodAddressPool.IsPodAddress(a).Should().BeTrue();
        });
    }

    [Fact]
    public void A_pod_keeps_its_address_across_a_node_restart_when_it_is_free()
    {
        var pool = new PodAddressPool();
        pool.Allocate("a", "127.9.8.7").Should().Be("127.9.8.7");
        pool.Allocate("b", "127.9.8.7").Should().NotBe("127.9.8.7", "it is taken");
        pool.Allocate("c", "127.0.0.1").Should().NotBe("127.0.0.1", "the host's address is never a pod's");
    }

    [Fact]
    public void Released_addresses_are_reused_and_the_same_uid_lands_on_the_same_address()
    {
        var pool = new PodAddressPool();
        var first = pool.Allocate("uid", null);
        pool.Release(first);
        pool.Allocate("uid", null).Should().Be(first);
        new PodAddressPool().Allocate("uid", null).Should().Be(first);
    }
}
