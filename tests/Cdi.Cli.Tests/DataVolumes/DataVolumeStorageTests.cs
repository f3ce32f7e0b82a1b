using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>
/// Quotas, storage classes, StorageProfiles and scratch space: the troubleshooting cases of seeds 000 and 001, and
/// issue 18's claim rules (ErrClaimNotValid, the virt default class, FromStorageProfile, worker pod annotations).
/// </summary>
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

    private string Get(string kind, string name, string ns, string jsonPath) =>
        Cluster.Kubectl("get", kind, name, "-n", ns, "-o", $"jsonpath={jsonPath}").Stdout;

    private void WaitFor(Func<bool> condition, string ns, string dv) =>
        LocalCluster.WaitUntil(condition, Timeout, () => Cluster.Kubectl("describe", "dv", dv, "-n", ns).Stdout);

    [Fact]
    public void Unknown_provisioner_is_claim_not_valid_until_its_profile_is_filled()
    {
        var sc = "mystery-" + Guid.NewGuid().ToString("N")[..6];
        Cluster.Apply($"""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: {sc}
            provisioner: example.com/unknown
            volumeBindingMode: WaitForFirstConsumer
            """);
        try
        {
            LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "storageprofile", sc, "-o", "jsonpath={.status.provisioner}").Stdout == "example.com/unknown",
                Timeout, () => Cluster.Kubectl("get", "storageprofile", sc, "-o", "yaml").Stdout);
            Cluster.Ok("get", "storageprofile", sc, "-o", "jsonpath={.status.claimPropertySets}").Trim().Should().BeOneOf("", "[]");
            var ns = Cluster.NewNamespace();
            Cluster.Apply($$"""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataVolume
                metadata:
                  name: mystery
                spec:
                  source:
                    blank: {}
                  storage:
                    storageClassName: {{sc}}
                    resources:
                      requests:
                        storage: 64Mi
                """, ns);
            WaitFor(() => Get("dv", "mystery", ns, "{.status.conditions[?(@.type==\"Bound\")].reason}") == "ErrClaimNotValid", ns, "mystery");
            Get("dv", "mystery", ns, "{.status.conditions[?(@.type==\"Bound\")].message}").Should().Be($"no accessMode specified in StorageProfile {sc}");
            Cluster.Ok("get", "events", "-n", ns, "--field-selector", "reason=ErrClaimNotValid", "-o", "jsonpath={.items[*].message}")
                .Should().Contain($"cannot get access mode from StorageProfile {sc}");
            Cluster.Ok("get", "pvc", "-n", ns, "-o", "name").Should().BeEmpty("no claim on a guessed access mode");

            // The administrator describes the storage: the second entry fits nothing asked, the first decides.
            Cluster.Ok("patch", "storageprofile", sc, "--type", "merge", "-p",
                """{"spec":{"claimPropertySets":[{"accessModes":["ReadWriteMany"],"volumeMode":"Block"},{"accessModes":["ReadWriteOnce"],"volumeMode":"Filesystem"}]}}""");
            WaitFor(() => Get("pvc", "mystery", ns, "{.spec.accessModes[0]}") == "ReadWriteMany", ns, "mystery");
            Get("pvc", "mystery", ns, "{.spec.volumeMode}").Should().Be("Block");
        }
        finally
        {
            Cluster.Kubectl("delete", "storageclass", sc, "--wait=false");
        }
    }

    [Fact]
    public void Virt_default_class_from_storage_profile_and_pod_annotations_as_kubevirt_writes_them()
    {
        var sc = "virt-" + Guid.NewGuid().ToString("N")[..6];
        Cluster.Apply($"""
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata:
              name: {sc}
              annotations:
                storageclass.kubevirt.io/is-default-virt-class: "true"
            provisioner: cdi.local/hostpath
            volumeBindingMode: Immediate
            """);
        try
        {
            LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "storageprofile", sc, "-o", "jsonpath={.status.claimPropertySets[0].volumeMode}").Stdout == "Filesystem",
                Timeout, () => Cluster.Kubectl("get", "storageprofile", sc, "-o", "yaml").Stdout);
            var ns = Cluster.NewNamespace();
            Cluster.Apply("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataVolume
                metadata:
                  name: vmdisk
                  annotations:
                    k8s.v1.cni.cncf.io/networks: storage-net
                    cdi.kubevirt.io/storage.pod.retainAfterCompletion: "true"
                    example.com/not-for-pods: "x"
                spec:
                  priorityClassName: cdi-imports
                  source:
                    blank: {}
                  storage:
                    volumeMode: FromStorageProfile
                    resources:
                      requests:
                        storage: 64Mi
                """, ns);
            WaitFor(() => Get("dv", "vmdisk", ns, "{.status.phase}") == "Succeeded", ns, "vmdisk");
            Get("pvc", "vmdisk", ns, "{.spec.storageClassName}").Should().Be(sc, "the virt default wins over the Kubernetes default (local)");
            Get("pvc", "vmdisk", ns, "{.spec.volumeMode}").Should().Be("Filesystem", "the profile's first entry");
            Get("pvc", "vmdisk", ns, "{.spec.accessModes[0]}").Should().Be("ReadWriteOnce");
            var annotations = Cluster.Ok("get", "pod", "importer-vmdisk", "-n", ns, "-o", "jsonpath={.metadata.annotations}");
            annotations.Should().Contain("\"k8s.v1.cni.cncf.io/networks\":\"storage-net\"")
                .And.Contain("\"sidecar.istio.io/inject\":\"false\"")
                .And.Contain("\"linkerd.io/inject\":\"disabled\"")
                .And.Contain("\"cdi.kubevirt.io/storage.pod.priorityclassname\":\"cdi-imports\"")
                .And.NotContain("not-for-pods");
            Get("pod", "importer-vmdisk", ns, "{.spec.priorityClassName}").Should().Be("cdi-imports");

            // spec.pvc is plain Kubernetes: it takes the Kubernetes default.
            Cluster.Apply("""
                apiVersion: cdi.kubevirt.io/v1beta1
                kind: DataVolume
                metadata:
                  name: plain
                spec:
                  source:
                    blank: {}
                  pvc:
                    accessModes: [ReadWriteOnce]
                    resources:
                      requests:
                        storage: 64Mi
                """, ns);
            WaitFor(() => Get("pvc", "plain", ns, "{.spec.storageClassName}").Length > 0, ns, "plain");
            Get("pvc", "plain", ns, "{.spec.storageClassName}").Should().Be("local");
        }
        finally
        {
            Cluster.Kubectl("delete", "storageclass", sc, "--wait=false");
        }
    }

    [Fact]
    public void Preallocation_from_the_datavolume_or_cdiconfig_allocates_the_whole_image()
    {
        var ns = Cluster.NewNamespace();
        string Manifest(string name, string? preallocation) => $$"""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata:
              name: {{name}}
            spec:
            {{(preallocation is null ? "" : $"  preallocation: {preallocation}")}}
              source:
                blank: {}
              storage:
                resources:
                  requests:
                    storage: 64Mi
            """;
        long Allocated(string dv) => long.Parse(ProcessRunner.Sh($"du -B1 '{Path.Combine(Cluster.VolumePath(ns, dv), "disk.img")}' | cut -f1").Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

        Cluster.Apply(Manifest("sparse", null), ns);
        Cluster.Apply(Manifest("full", "true"), ns);
        WaitForPhase(ns, "sparse", "Succeeded");
        WaitForPhase(ns, "full", "Succeeded");
        Allocated("sparse").Should().BeLessThan(1L << 20, "a blank image stays sparse without preallocation");
        Allocated("full").Should().BeGreaterThanOrEqualTo(60L << 20, "spec.preallocation allocates the usable size");

        Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", "{\"spec\":{\"preallocation\":true}}");
        try
        {
            LocalCluster.WaitUntil(() => Cluster.Kubectl("get", "cdiconfig", "config", "-o", "jsonpath={.status.preallocation}").Stdout == "true",
                Timeout, () => Cluster.Kubectl("get", "cdiconfig", "config", "-o", "yaml").Stdout);
            Cluster.Apply(Manifest("global", null), ns);
            Cluster.Apply(Manifest("optout", "false"), ns);
            WaitForPhase(ns, "global", "Succeeded");
            WaitForPhase(ns, "optout", "Succeeded");
            Allocated("global").Should().BeGreaterThanOrEqualTo(60L << 20, "CDIConfig's preallocation applies when the DataVolume says nothing");
            Allocated("optout").Should().BeLessThan(1L << 20, "the DataVolume's false wins over CDIConfig");
        }
        finally
        {
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", "{\"spec\":{\"preallocation\":false}}");
        }
    }
}
