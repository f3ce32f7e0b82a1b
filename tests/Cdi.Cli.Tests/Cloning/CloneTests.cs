using System.Security.Cryptography;
using Cdi.Testing;

namespace Cdi.Cli.Tests.Cloning;

/// <summary>
/// Host-assisted clones on the local cluster, driven with the real kubectl: a source DataVolume (blank, then written
/// with a raw guest disk as a VM would) is cloned within and across namespaces, Filesystem and Block both ways, and the
/// target's bytes are compared with the source's.
/// </summary>
public sealed class CloneTests(CloneEnvironment env) : IClassFixture<CloneEnvironment>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private LocalCluster Cluster => env.Cluster;

    private string Phase(string ns, string dv) => Cluster.Kubectl("get", "dv", dv, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout;

    private string Describe(string ns, string dv) => Cluster.Kubectl("describe", "dv", dv, "-n", ns).Stdout;

    private void WaitForPhase(string ns, string dv, string phase) =>
        LocalCluster.WaitUntil(() => Phase(ns, dv) == phase, Timeout, () => Describe(ns, dv));

    /// <summary>The file behind a claim: disk.img of a Filesystem volume, the image file of a Block one.</summary>
    private string Data(string ns, string claim, bool block) => block ? Cluster.VolumePath(ns, claim) : Path.Combine(Cluster.VolumePath(ns, claim), "disk.img");

    private static string Storage(string size, bool block) =>
        (block ? "    volumeMode: Block\n" : "") + (size.Length == 0 ? "    resources: {}\n" : $"    resources:\n      requests:\n        storage: {size}\n");

    /// <summary>A blank source DataVolume, then the guest disk written over its data (what a VM using it leaves).</summary>
    private string Source(string ns, string name, bool block)
    {
        Cluster.Apply($"apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: {name}\nspec:\n  source:\n    blank: {{}}\n  storage:\n{Storage("32Mi", block)}", ns);
        WaitForPhase(ns, name, "Succeeded");
        var data = Data(ns, name, block);
        using (var target = new FileStream(data, FileMode.Open, FileAccess.Write))
        using (var raw = File.OpenRead(env.Raw))
        {
            raw.CopyTo(target);
        }
        return data;
    }

    private void Clone(string ns, string name, string sourceNs, string sourceName, string size, bool block, string annotations = "") =>
        Cluster.Apply($"apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: {name}\n{annotations}spec:\n  source:\n    pvc:\n      namespace: {sourceNs}\n      name: {sourceName}\n  storage:\n{Storage(size, block)}", ns);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The target holds the source's bytes, then only zeros (a target may be larger than the source's data).</summary>
    private static void ShouldHoldTheSource(string target, string source)
    {
        var length = new FileInfo(target).Length;
        length.Should().BeGreaterThanOrEqualTo(new FileInfo(source).Length);
        TestImages.CompareWithReference(target, source, length).Should().BeNull();
    }

    [Fact]
    public void Sizeless_clone_within_a_namespace_copies_the_source_and_leaves_it_unchanged()
    {
        var ns = Cluster.NewNamespace();
        var source = Source(ns, "golden", block: false);
        var before = Sha256(source);
        var sourceVersion = Cluster.Ok("get", "pvc", "golden", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}");

        Clone(ns, "copy", ns, "golden", "", block: false);

        WaitForPhase(ns, "copy", "Succeeded");
        ShouldHoldTheSource(Data(ns, "copy", block: false), source);
        Sha256(source).Should().Be(before, "the source volume is never written");
        Cluster.Ok("get", "pvc", "golden", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}").Should().Be(sourceVersion, "the source claim is not modified");
        Cluster.Ok("get", "pvc", "copy", "-n", ns, "-o", "jsonpath={.spec.resources.requests.storage}").Should()
            .Be(Cluster.Ok("get", "pvc", "golden", "-n", ns, "-o", "jsonpath={.spec.resources.requests.storage}"), "a sizeless clone takes the source's size");
        Describe(ns, "copy").Should().Contain("CloneScheduled").And.Contain("CloneSucceeded");
        LocalCluster.WaitUntil(() => Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Length == 0, Timeout, () => Cluster.Ok("get", "pods", "-n", ns));
    }

    [Fact]
    public void Clone_across_namespaces_into_block_waits_while_a_pod_uses_the_source()
    {
        var golden = Cluster.NewNamespace();
        var ns = Cluster.NewNamespace();
        var source = Source(golden, "golden", block: false);
        // A VM still using the source: the clone waits (upstream's CloneSourceInUse).
        Cluster.Apply($"apiVersion: v1\nkind: Pod\nmetadata:\n  name: vm\nspec:\n  containers:\n    - name: vm\n      image: quay.io/kubevirt/virt-launcher:latest\n      volumeMounts:\n        - name: disk\n          mountPath: /disk\n  volumes:\n    - name: disk\n      persistentVolumeClaim:\n        claimName: golden\n", golden);

        Clone(ns, "copy", golden, "golden", "", block: true);

        LocalCluster.WaitUntil(() => Describe(ns, "copy").Contains("CloneSourceInUse", StringComparison.Ordinal), Timeout, () => Describe(ns, "copy"));
        Phase(ns, "copy").Should().Be("CloneScheduled");
        Cluster.Ok("get", "dv", "copy", "-n", ns, "-o", "jsonpath={.metadata.annotations.cdi\\.kubevirt\\.io/storage\\.clone\\.token}").Should()
            .NotBeEmpty("admission stamps a clone token on an allowed cross-namespace clone");
        Cluster.Ok("delete", "pod", "vm", "-n", golden, "--wait=false");

        WaitForPhase(ns, "copy", "Succeeded");
        Cluster.Ok("get", "pvc", "copy", "-n", ns, "-o", "jsonpath={.spec.volumeMode}").Should().Be("Block");
        ShouldHoldTheSource(Data(ns, "copy", block: true), source);
        LocalCluster.WaitUntil(() => !Cluster.Ok("get", "pods", "-n", golden, "-o", "name").Contains("source-pod", StringComparison.Ordinal), Timeout,
            () => Cluster.Ok("get", "pods", "-n", golden));
    }

    [Fact]
    public void Block_source_clones_into_filesystem()
    {
        var ns = Cluster.NewNamespace();
        var source = Source(ns, "golden", block: true);

        Clone(ns, "copy", ns, "golden", "32Mi", block: false);

        WaitForPhase(ns, "copy", "Succeeded");
        ShouldHoldTheSource(Data(ns, "copy", block: false), source);
    }

    [Fact]
    public void Smaller_target_is_refused_and_a_missing_source_waits_with_a_reason()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: golden\nspec:\n  source:\n    blank: {}\n  storage:\n    resources:\n      requests:\n        storage: 32Mi\n", ns);
        Clone(ns, "orphan", ns, "nothing-here", "32Mi", block: false);
        WaitForPhase(ns, "golden", "Succeeded");

        Clone(ns, "small", ns, "golden", "16Mi", block: false);

        WaitForPhase(ns, "small", "Failed");
        var message = Cluster.Ok("get", "dv", "small", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Running\")].message}");
        message.Should().Contain("target is smaller than the source claim").And.NotContain("\n");
        Cluster.Ok("get", "events", "-n", ns, "--field-selector", "reason=CloneValidationFailed", "-o", "name").Should().NotBeEmpty();

        LocalCluster.WaitUntil(() => Describe(ns, "orphan").Contains("CloneWithoutSource", StringComparison.Ordinal), Timeout, () => Describe(ns, "orphan"));
        Phase(ns, "orphan").Should().Be("Pending");
    }

    [Fact]
    public void Cross_namespace_clone_needs_datavolumes_source_in_the_source_namespace()
    {
        var golden = Cluster.NewNamespace();
        var ns = Cluster.NewNamespace();
        Source(golden, "golden", block: false);
        // alice may create DataVolumes in her namespace, nothing in golden's.
        Cluster.Apply("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: dv-editor\nrules:\n  - apiGroups: [cdi.kubevirt.io]\n    resources: [datavolumes]\n    verbs: [create, get]\n"
            + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: alice-dv-editor\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: dv-editor\nsubjects:\n  - kind: User\n    name: alice\n", ns);
        var manifest = Path.Combine(Path.GetTempPath(), $"clone-{ns}.yaml");
        File.WriteAllText(manifest, $"apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: copy\n  namespace: {ns}\nspec:\n  source:\n    pvc:\n      namespace: {golden}\n      name: golden\n  storage:\n{Storage("", false)}");
        try
        {
            var denied = Cluster.Kubectl("create", "-f", manifest, "--as", "alice");
            denied.ExitCode.Should().NotBe(0);
            denied.Stderr.Should().Contain($"user \"alice\" may not clone claim {golden}/golden").And.Contain("datavolumes/source");
            Cluster.Kubectl("get", "dv", "copy", "-n", ns).ExitCode.Should().NotBe(0, "a refused clone leaves no DataVolume behind");

            // Upstream's grant: create on datavolumes/source in the source namespace.
            Cluster.Apply("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: clone-source\nrules:\n  - apiGroups: [cdi.kubevirt.io]\n    resources: [datavolumes/source]\n    verbs: [create]\n"
                + $"---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: alice-clone-source\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: clone-source\nsubjects:\n  - kind: User\n    name: alice\n", golden);
            Cluster.Ok("create", "-f", manifest, "--as", "alice");
        }
        finally
        {
            File.Delete(manifest);
        }
        WaitForPhase(ns, "copy", "Succeeded");
    }

    [Fact]
    public void A_source_claim_without_a_disk_image_fails_once_with_the_source_pods_reason()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: empty\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 16Mi\n", ns);

        Clone(ns, "copy", ns, "empty", "32Mi", block: false);

        WaitForPhase(ns, "copy", "Failed");
        Cluster.Ok("get", "dv", "copy", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Running\")].reason}").Should().Be("SourceNotFound");
        Cluster.Ok("get", "dv", "copy", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Running\")].message}").Should().Contain("has no disk.img");
        Cluster.Ok("get", "dv", "copy", "-n", ns, "-o", "jsonpath={.status.restartCount}").Should().BeOneOf(new[] { "", "0" }, "the source will not grow a disk image on a retry");
    }
}
