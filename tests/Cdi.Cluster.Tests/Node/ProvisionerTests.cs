using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

[Collection(NodeClusterCollection.Name)]
public sealed class ProvisionerTests(NodeClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;

    [Fact]
    public async Task Immediate_claim_binds_to_a_new_host_path_directory_volume()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "fs", size: "100Mi"));
        var claim = await BoundAsync(ns, "fs");

        claim.Spec!.VolumeName.Should().Be("pvc-" + claim.Metadata.Uid);
        claim.Status!.Capacity!["storage"].Should().Be("100Mi");
        var pv = await Client.GetAsync(KubeResources.PersistentVolumes, claim.Spec.VolumeName!);
        pv.Spec!.HostPath!.Path.Should().Be(Path.Combine(cluster.Directory, "volumes", pv.Metadata.Name!));
        Directory.Exists(pv.Spec.HostPath.Path).Should().BeTrue();
        pv.Spec.Capacity!["storage"].Should().Be("100Mi");
        pv.Spec.PersistentVolumeReclaimPolicy.Should().Be("Delete");
        pv.Spec.VolumeMode.Should().Be("Filesystem");
        pv.Spec.AccessModes.Should().Equal("ReadWriteOnce");
        pv.Spec.ClaimRef!.Name.Should().Be("fs");
        pv.Spec.StorageClassName.Should().Be("local");
        pv.Status!.Phase.Should().Be("Bound");
    }

    [Fact]
    public async Task Claim_without_a_class_gets_the_default_one()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "dflt", storageClass: null));
        var claim = await BoundAsync(ns, "dflt");
        (await Client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!)).Spec!.StorageClassName.Should().Be("local");
    }

    [Fact]
    public async Task Block_claim_gets_a_sparse_image_of_the_requested_size()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "blk", size: "1Gi", mode: "Block"));
        var claim = await BoundAsync(ns, "blk");
        var pv = await Client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!);
        pv.Spec!.VolumeMode.Should().Be("Block");
        pv.Spec.HostPath!.Path.Should().EndWith(pv.Metadata.Name + ".img");
        new FileInfo(pv.Spec.HostPath.Path).Length.Should().Be(1L << 30);
    }

    [Fact]
    public async Task Deleting_the_claim_releases_and_deletes_the_volume_and_its_files()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "gone"));
        var claim = await BoundAsync(ns, "gone");
        var pv = await Client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!);
        await Client.DeleteAsync(KubeResources.PersistentVolumeClaims, "gone", ns);
        await NodeWait.UntilAsync(() => Client.TryGetAsync(KubeResources.PersistentVolumes, pv.Metadata.Name!).GetAwaiter().GetResult() is null,
            "the PV to be deleted");
        Directory.Exists(pv.Spec!.HostPath!.Path).Should().BeFalse();
    }

    [Fact]
    public async Task Unknown_class_stays_Pending_with_an_event_saying_why()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "odd", storageClass: "no-such-class"));
        var evt = await NodeWait.ForAsync(
            async () => (await Client.ListAsync(KubeResources.Events, ns)).Items.FirstOrDefault(e => e.InvolvedObject.Name == "odd"),
            _ => true, "a ProvisioningFailed event");
        evt.Reason.Should().Be("ProvisioningFailed");
        evt.Message.Should().Contain("\"no-such-class\" not found");
        (await Client.GetAsync(KubeResources.PersistentVolumeClaims, "odd", ns)).Status?.Phase.Should().NotBe("Bound");
    }

    [Fact]
    public async Task WaitForFirstConsumer_claim_binds_only_once_a_pod_uses_it()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "late", storageClass: "local-wffc"));
        await NodeWait.ForAsync(
            async () => (await Client.ListAsync(KubeResources.Events, ns)).Items.FirstOrDefault(e => e.Reason == "WaitForFirstConsumer"),
            _ => true, "the provisioner to decide to wait");
        (await Client.GetAsync(KubeResources.PersistentVolumeClaims, "late", ns)).Spec!.VolumeName.Should().BeNull();

        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "consumer", cluster.Context.CdiImage, ["cdi", "--help"], claim: "late"));
        await BoundAsync(ns, "late");
        await NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.Pods, "consumer", ns), p => p.Status?.Phase == "Succeeded", "the consumer to finish");
    }

    private Task<PersistentVolumeClaim> BoundAsync(string ns, string name) =>
        NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.PersistentVolumeClaims, name, ns), c => c.Status?.Phase == "Bound", $"claim {name} to bind");
}
