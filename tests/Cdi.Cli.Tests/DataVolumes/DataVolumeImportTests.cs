using System.Globalization;
using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>Seed 001's usage, as written, against the local cluster with the real kubectl: create, get, describe, delete.</summary>
public sealed partial class DataVolumeImportTests(DataVolumeEnvironment env) : IClassFixture<DataVolumeEnvironment>
{
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromMinutes(3);
    private LocalCluster Cluster => env.Cluster;

    private void WaitForPhase(string ns, string dv, string phase) =>
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "dv", dv, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == phase, ImportTimeout,
            () => Cluster.Kubectl("describe", "dv", dv, "-n", ns).Stdout);

    private void AssertVolumeHoldsTheDisk(string ns, string claim)
    {
        var disk = Path.Combine(Cluster.VolumePath(ns, claim), "disk.img");
        File.Exists(disk).Should().BeTrue();
        ProcessRunner.Sh($"cmp -n {DataVolumeEnvironment.DiskSize} '{disk}' '{env.Raw}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public void Http_qcow2_dv_succeeds_with_upstream_events_and_the_disk_bytes()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("cirros", env.Server.RangeUrl("disk.qcow2")), ns).Should().Contain("datavolume.cdi.kubevirt.io/cirros created");
        Cluster.Ok("wait", "--for=jsonpath={.status.phase}=Succeeded", "dv/cirros", "-n", ns, "--timeout=180s");
        var table = Cluster.Ok("get", "datavolume", "-n", ns);
        table.Should().MatchRegex(@"NAME\s+PHASE\s+PROGRESS\s+RESTARTS\s+AGE");
        table.Should().MatchRegex(@"cirros\s+Succeeded\s+100.0%\s+0");
        var describe = Cluster.Ok("describe", "datavolume", "cirros", "-n", ns);
        describe.Should().Contain("ImportScheduled").And.Contain("Import into cirros scheduled").And.Contain("ImportSucceeded")
            .And.Contain("Successfully imported into PVC cirros");
        AssertVolumeHoldsTheDisk(ns, "cirros");
        Cluster.Ok("get", "pvc", "cirros-scratch", "-n", ns, "--ignore-not-found").Should().BeEmpty("scratch is deleted after the import");
        Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Should().BeEmpty("the importer pod is gone after success");

        Cluster.Ok("delete", "datavolume", "cirros", "-n", ns);
        LocalCluster.WaitUntil(() => Cluster.Ok("get", "pvc", "-n", ns, "-o", "name").Length == 0, ImportTimeout, () => "the claim is deleted with its DataVolume");
    }

    [Fact]
    public void Http_raw_xz_dv_streams_into_the_volume()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("xz", env.Server.PlainUrl("disk.raw.xz")), ns);
        WaitForPhase(ns, "xz", "Succeeded");
        AssertVolumeHoldsTheDisk(ns, "xz");
        Cluster.Ok("describe", "dv", "xz", "-n", ns).Should().NotContain("CreatingScratchSpace", "raw.xz streams without scratch");
    }

    [Fact]
    public void V1alpha1_manifest_of_seed_002_works()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.V1Alpha1("example-import-dv", env.Server.RangeUrl("disk.qcow2"), "local"), ns);
        WaitForPhase(ns, "example-import-dv", "Succeeded");
        AssertVolumeHoldsTheDisk(ns, "example-import-dv");
        Cluster.Ok("get", "pvc", "example-import-dv", "-n", ns, "-o", "jsonpath={.spec.resources.requests.storage}").Should().Be("10240Mi", "spec.pvc is used as given");
    }

    [Fact]
    public void Archive_dv_unpacks_files_into_the_volume()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("files", env.Server.RangeUrl("files.tar.gz"), contentType: "archive"), ns);
        WaitForPhase(ns, "files", "Succeeded");
        File.ReadAllText(Path.Combine(Cluster.VolumePath(ns, "files"), "etc", "motd")).Should().Be("hello\n");
    }

    [Fact]
    public void Blank_dv_is_an_empty_disk_of_the_usable_size()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Blank("empty", "1Gi"), ns);
        WaitForPhase(ns, "empty", "Succeeded");
        var disk = Path.Combine(Cluster.VolumePath(ns, "empty"), "disk.img");
        new FileInfo(disk).Length.Should().BeGreaterThanOrEqualTo(1L << 30, "the claim was inflated so the usable part holds the request");
        TestImages.AllocatedBytes(disk).Should().Be(0);
    }

    [Fact]
    public void Missing_image_fails_at_once_with_the_importers_reason()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("missing", env.Server.RangeUrl("nope.qcow2")), ns);
        WaitForPhase(ns, "missing", "Failed");
        var describe = Cluster.Ok("describe", "dv", "missing", "-n", ns);
        describe.Should().Contain("HTTP 404").And.Contain("ImportFailed");
        Cluster.Ok("get", "dv", "missing", "-n", ns, "-o", "jsonpath={.status.restartCount}").Should().Be("0", "a 404 is not retried");
    }

    [Fact]
    public void Bad_checksum_fails_and_leaves_no_disk()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("sum", env.Server.RangeUrl("disk.raw.xz"), checksum: "sha256:" + new string('0', 64)), ns);
        WaitForPhase(ns, "sum", "Failed");
        Cluster.Ok("get", "dv", "sum", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Running\")].message}").Should().StartWith("checksum mismatch");
        File.Exists(Path.Combine(Cluster.VolumePath(ns, "sum"), "disk.img")).Should().BeFalse();
    }

    [Fact]
    public void Block_volume_dv_writes_the_device()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("blk", env.Server.RangeUrl("disk.raw.xz"), volumeMode: "Block"), ns);
        WaitForPhase(ns, "blk", "Succeeded");
        var device = Cluster.VolumePath(ns, "blk");
        ProcessRunner.Sh($"cmp -n {DataVolumeEnvironment.DiskSize} '{device}' '{env.Raw}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public void Progress_is_reported_while_the_importer_runs_and_a_killed_importer_is_replaced()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("slow", env.Server.SlowUrl("slow.raw")), ns);
        string progress = "", uid = "";
        LocalCluster.WaitUntil(() =>
        {
            // One read for both, so the pod named is the one that was importing (a slow machine may finish soon after).
            var seen = Cluster.Kubectl("get", "dv,pod", "-n", ns, "-o", "jsonpath={.items[0].status.progress}/{.items[1].metadata.name}/{.items[1].metadata.uid}").Stdout.Split('/');
            progress = seen[0];
            uid = seen.Length == 3 && seen[1] == "importer-slow" ? seen[2] : "";
            return progress.EndsWith('%') && progress != "0.00%" && progress != "100.0%" && uid.Length > 0;
        }, ImportTimeout, () => $"progress was {progress}");
        progress.Should().MatchRegex(@"^\d{1,2}\.\d\d%$");
        // The pod seen may have failed and been removed by the controller since (a loaded machine): then it is already
        // being replaced, which is what the rest of the test checks.
        var deleted = Cluster.Kubectl("delete", "pod", "importer-slow", "-n", ns, "--wait=false");
        (deleted.ExitCode == 0 || deleted.Stderr.Contains("NotFound", StringComparison.Ordinal)).Should().BeTrue(deleted.Stderr);
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "pod", "importer-slow", "-n", ns, "-o", "jsonpath={.metadata.uid}").Stdout is { Length: > 0 } u && u != uid,
            ImportTimeout, () => $"a new importer pod replaces the deleted one (dv: {Cluster.Kubectl("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.phase}/{.status.restartCount}").Stdout})");
        // cdi's detail beside upstream's percentage: bytes and the total, as served by the importer pod (kept after it).
        var transfer = Cluster.Ok("get", "dv", "slow", "-n", ns, "-o", "jsonpath={.status.transfer.bytesDone}/{.status.transfer.bytesTotal}").Split('/');
        long.Parse(transfer[0], CultureInfo.InvariantCulture).Should().BePositive();
        long.Parse(transfer[1], CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(long.Parse(transfer[0], CultureInfo.InvariantCulture));
        WaitForPhase(ns, "slow", "Succeeded");
        var disk = Path.Combine(Cluster.VolumePath(ns, "slow"), "disk.img");
        ProcessRunner.Sh($"cmp -n {48L << 20} '{disk}' '{env.Images.File("slow.raw")}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public void Fifty_datavolumes_at_once_all_succeed()
    {
        var ns = Cluster.NewNamespace();
        var manifest = string.Join("\n---\n", Enumerable.Range(0, 50).Select(i => DataVolumeManifests.Blank($"b{i}", "16Mi")));
        Cluster.Apply(manifest, ns);
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "dv", "-n", ns, "-o", "jsonpath={.items[*].status.phase}").Stdout
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(p => p == "Succeeded") == 50, TimeSpan.FromMinutes(5),
            () => Cluster.Kubectl("get", "dv", "-n", ns).Stdout);
        Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Should().BeEmpty();
    }
}
