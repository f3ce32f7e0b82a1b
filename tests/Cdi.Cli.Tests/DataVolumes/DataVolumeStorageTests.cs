using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>Quotas, storage classes and scratch space: the troubleshooting cases of seeds 000 and 001.</summary>
public sealed class DataVolumeStorageTests(DataVolumeEnvironment env) : IClassFixture<DataVolumeEnvironment>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private LocalCluster Cluster => env.Cluster;

    private string Phase(string ns, string dv) => Cluster.Kubectl("get", "dv", dv, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout;

    private void WaitForPhase(string ns, string dv, string phase) =>
        LocalCluster.WaitUntil(() => Phase(ns, dv) == phase, Timeout, () => Cluster.Kubectl("describe", "dv", dv, "-n", ns).Stdout);

    [Fact]
    public void Namespace_whose_quota_demands_limits_still_imports()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: compute
            spec:
              hard:
                limits.cpu: "4"
                limits.memory: 4Gi
            """, ns);
        Cluster.Apply(DataVolumeManifests.Http("q", env.Server.RangeUrl("disk.raw.xz")), ns);
        WaitForPhase(ns, "q", "Succeeded");
    }

    [Fact]
    public void Quota_that_refuses_the_importer_shows_on_the_datavolume()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: nopods
            spec:
              hard:
                pods: "0"
            """, ns);
        Cluster.Apply(DataVolumeManifests.Http("refused", env.Server.RangeUrl("disk.raw.xz")), ns);
        LocalCluster.WaitUntil(() => Cluster.Kubectl("describe", "dv", "refused", "-n", ns).Stdout.Contains("exceeded quota: nopods", StringComparison.Ordinal),
            Timeout, () => Cluster.Kubectl("describe", "dv", "refused", "-n", ns).Stdout);
        Cluster.Ok("get", "dv", "refused", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Running\")].message}")
            .Should().Contain("forbidden: exceeded quota: nopods");
        Cluster.Ok("get", "events", "-n", ns, "--field-selector", "reason=ErrExceededQuota", "-o", "name").Should().NotBeEmpty();

        // The administrator raises the quota: the import goes ahead without any action on the DataVolume.
        Cluster.Ok("patch", "resourcequota", "nopods", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"hard\":{\"pods\":\"5\"}}}");
        WaitForPhase(ns, "refused", "Succeeded");
    }

    [Fact]
    public void Wait_for_first_consumer_class_waits_then_imports_once_a_consumer_exists()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("wffc", env.Server.RangeUrl("disk.raw.xz"), storageClass: "local-wffc"), ns);
        WaitForPhase(ns, "wffc", "WaitForFirstConsumer");
        Cluster.Ok("get", "pods", "-n", ns, "-o", "name").Should().BeEmpty("no importer before the claim binds");
        Cluster.Apply("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: consumer
            spec:
              containers:
                - name: vm
                  image: quay.io/kubevirt/virt-launcher:latest
                  volumeMounts:
                    - name: disk
                      mountPath: /disk
              volumes:
                - name: disk
                  persistentVolumeClaim:
                    claimName: wffc
            """, ns);
        WaitForPhase(ns, "wffc", "Succeeded");
    }

    [Fact]
    public void Immediate_binding_annotation_imports_on_a_wffc_class()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("now", env.Server.RangeUrl("disk.raw.xz"), storageClass: "local-wffc",
            annotations: "  annotations:\n    cdi.kubevirt.io/storage.bind.immediate.requested: \"true\""), ns);
        WaitForPhase(ns, "now", "Succeeded");
    }

    [Fact]
    public void Dead_scratch_class_falls_back_to_the_default_and_scratch_is_used_and_removed()
    {
        Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", "{\"spec\":{\"scratchSpaceStorageClass\":\"ceph-block-sc\"}}");
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "cdiconfig", "config", "-o", "jsonpath={.status.scratchSpaceStorageClass}").Stdout == "local",
            Timeout, () => Cluster.Kubectl("get", "cdiconfig", "config", "-o", "yaml").Stdout);
        var ns = Cluster.NewNamespace();
        Cluster.Apply(DataVolumeManifests.Http("scratchy", env.Server.PlainUrl("disk.qcow2")), ns);
        WaitForPhase(ns, "scratchy", "Succeeded");
        Cluster.Ok("get", "events", "-n", ns, "--field-selector", "reason=CreatingScratchSpace", "-o", "jsonpath={.items[*].message}")
            .Should().Contain("scratchy-scratch");
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "pvc", "scratchy-scratch", "-n", ns, "--ignore-not-found", "-o", "name").Stdout.Length == 0,
            Timeout, () => "scratch claim is deleted after the import");
    }

    [Fact]
    public void Storage_profiles_exist_for_every_class()
    {
        LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "storageprofile", "local", "-o", "jsonpath={.status.provisioner}").Stdout == "cdi.local/hostpath",
            Timeout, () => Cluster.Kubectl("get", "storageprofiles", "-o", "yaml").Stdout);
        Cluster.Ok("get", "storageprofile", "local-wffc", "-o", "jsonpath={.status.claimPropertySets[0].accessModes[0]}").Should().Be("ReadWriteOnce");
    }
}
