using Cdi.Doctor.Findings;

namespace Cdi.Doctor.Tests;

/// <summary>Each catalogued failure, from a dump fixture: the finding's id, the object it names, its severity and the fix.</summary>
public sealed class FixtureFindingTests
{
    [Theory]
    [InlineData("no-default-storageclass.json", "no-default-storageclass", "vms/datavolume/orphan", Severity.Error,
        "kubectl patch storageclass local -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"true\"}}}'")]
    [InlineData("multiple-default-storageclasses.json", "multiple-default-storageclasses", "storageclass/fast", Severity.Warning,
        "kubectl patch storageclass slow -p '{\"metadata\":{\"annotations\":{\"storageclass.kubernetes.io/is-default-class\":\"false\"}}}'")]
    [InlineData("storageclass-missing.json", "storageclass-missing", "vms/datavolume/disk", Severity.Error, "create storage class gold, or recreate")]
    [InlineData("pvc-unbound.json", "pvc-unbound", "vms/persistentvolumeclaim/disk", Severity.Error, "check provisioner rbd.csi.ceph.com runs")]
    [InlineData("scratch-storageclass-invalid.json", "scratch-storageclass-invalid", "cdiconfig/config", Severity.Error,
        "kubectl patch cdiconfig config --type merge -p '{\"spec\":{\"scratchSpaceStorageClass\":\"local\"}}'")]
    [InlineData("wffc-no-consumer.json", "wffc-no-consumer", "vms/datavolume/disk", Severity.Warning,
        "kubectl annotate dv disk -n vms cdi.kubevirt.io/storage.bind.immediate.requested=true")]
    [InlineData("quota.json", "quota-requires-limits", "vms/datavolume/disk", Severity.Error, "kubectl patch cdiconfig config --type merge -p '{\"spec\":{\"podResourceRequirements\"")]
    [InlineData("quota.json", "quota-exceeded", "tight/datavolume/big", Severity.Error, "kubectl edit resourcequota small -n tight")]
    [InlineData("seed003-nodes-and-pods.json", "node-disk-pressure", "node/worker-1", Severity.Error, "rotate container logs")]
    [InlineData("seed003-nodes-and-pods.json", "image-pull-rate-limited", "apps/pod/web", Severity.Error, "kubectl create secret docker-registry")]
    [InlineData("seed003-nodes-and-pods.json", "registry-moved", "apps/pod/tool", Severity.Error, "ghcr.io/acme/tools/tool:1.0")]
    [InlineData("seed003-nodes-and-pods.json", "image-pull-closed-network", "apps/pod/pause-user", Severity.Error, "internal registry")]
    [InlineData("seed003-nodes-and-pods.json", "nfs-statd-not-running", "apps/pod/db", Severity.Error, "systemctl restart rpc-statd")]
    [InlineData("seed003-nodes-and-pods.json", "volume-permission-timeout-risk", "apps/pod/big", Severity.Error, "fsGroupChangePolicy: OnRootMismatch")]
    [InlineData("seed003-nodes-and-pods.json", "kmem-accounting-failure", "apps/pod/sandbox", Severity.Error, "cgroup.memory=nokmem")]
    [InlineData("seed003-nodes-and-pods.json", "pv-resize-not-reflected", "apps/persistentvolumeclaim/grown", Severity.Warning, "rescan-on-resize=true")]
    [InlineData("csi-attachment.json", "csi-attachment-name-collision", "persistentvolume/csiunity-0123456789", Severity.Error,
        "persistentVolumeName==\"csiunity-0123456789\"")]
    [InlineData("network-policy.json", "network-policy-blocks-worker", "vms/datavolume/disk", Severity.Warning, "kubectl apply -n vms -f - <<<")]
    [InlineData("upload-stalled.json", "upload-stalled", "vms/datavolume/idle", Severity.Warning,
        "cdi upload --dv idle -n vms --no-create --image-path FILE")]
    [InlineData("clone-permission-denied.json", "clone-permission-denied", "vms/virtualmachine/vm1", Severity.Error,
        "kubectl create role datavolume-cloner -n golden --verb=create --resource=datavolumes.cdi.kubevirt.io/source && "
        + "kubectl create rolebinding datavolume-cloner-system-serviceaccount-vms-vm-creator -n golden --role=datavolume-cloner --serviceaccount=vms:vm-creator")]
    [InlineData("clone-permission-denied.json", "clone-permission-denied", "vms/datavolume/restored", Severity.Error,
        "kubectl delete dv restored -n vms and create it again")]
    [InlineData("worker-pods.json", "worker-image-pull-failed", "vms/pod/importer-pull", Severity.Error,
        "crictl pull registry.internal:5000/cdi/cdi-worker:v9")]
    [InlineData("worker-pods.json", "volume-mount-failed", "vms/pod/importer-mount", Severity.Error, "kubectl describe pod importer-mount -n vms")]
    [InlineData("worker-pods.json", "import-retrying", "vms/datavolume/flaky", Severity.Warning, "kubectl describe dv flaky -n vms; cdi retries on its own")]
    [InlineData("snapshot-incomplete.json", "snapshot-incomplete", "cluster/snapshot", Severity.Info, "kubectl auth can-i list KIND -A")]
    public void Fixture_yields_the_finding_with_its_object_and_remedy(string fixture, string id, string obj, Severity severity, string remedy)
    {
        var findings = Fixtures.Examine(fixture);
        var finding = findings.Where(f => f.Id == id && f.Object.ToString() == obj).Should().ContainSingle(
            $"{fixture} should yield {id} for {obj}; got {string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}"))}").Subject;
        finding.Severity.Should().Be(severity);
        finding.Remedy.Should().Contain(remedy);
        finding.Evidence.Should().NotBeEmpty();
    }

    [Fact]
    public void Each_fixture_finding_is_the_only_diagnosis_of_its_object()
    {
        // No double diagnoses: one pod stuck on a mount is one finding, not also a generic failure.
        foreach (var fixture in Directory.GetFiles(Path.GetDirectoryName(Fixtures.PathOf("x"))!, "*.json"))
        {
            var findings = Fixtures.Examine(Path.GetFileName(fixture));
            findings.GroupBy(f => f.Object).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(",", g.Select(f => f.Id))}")
                .Should().BeEmpty(Path.GetFileName(fixture));
        }
    }

    [Fact]
    public void Volume_attachments_alone_are_a_risk_not_an_error_and_a_fixed_kubernetes_is_no_risk()
    {
        var snapshot = Fixtures.Load("csi-attachment.json");
        // The 74-character handle of the workaround's longer prefix is never flagged.
        Analysis.Examiner.Examine(snapshot).Should().NotContain(f => f.Object.Name == "csiunity-openshift-0123456789");
        Analysis.Examiner.Examine(snapshot with { ServerVersion = "v1.24.0" }).Should().BeEmpty();
        var calm = snapshot with { Pods = [], PersistentVolumes = [.. snapshot.PersistentVolumes.Select(v => v with { Metadata = v.Metadata with { DeletionTimestamp = null } })] };
        Analysis.Examiner.Examine(calm).Single(f => f.Id == FindingIds.CsiAttachmentNameCollision).Severity.Should().Be(Severity.Warning);
    }

    [Fact]
    public void A_network_policy_that_selects_other_pods_or_allows_all_egress_is_no_finding()
    {
        var findings = Fixtures.Examine("network-policy.json");
        findings.Should().NotContain(f => f.Object.Namespace == "open");
        var snapshot = Fixtures.Load("network-policy.json");
        var allowAll = System.Text.Json.Nodes.JsonNode.Parse(
            """{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"allow","namespace":"vms"},"spec":{"podSelector":{},"policyTypes":["Egress"],"egress":[{}]}}""")!.AsObject();
        Analysis.Examiner.Examine(snapshot with { NetworkPolicies = [.. snapshot.NetworkPolicies, allowAll] })
            .Should().NotContain(f => f.Id == FindingIds.NetworkPolicyBlocksWorker);
    }

    [Fact]
    public void A_datavolume_argument_keeps_its_own_and_cluster_wide_findings()
    {
        var findings = Fixtures.Examine("quota.json", "vms/disk");
        findings.Select(f => f.Id).Should().Equal(FindingIds.QuotaRequiresLimits);
    }

    [Fact]
    public void Quota_requirement_is_foreseen_from_cdiconfig_and_limit_ranges_before_the_pod_is_refused()
    {
        var snapshot = Fixtures.Load("quota.json");
        var dv = snapshot.DataVolumes.Single(d => d.Metadata.Name == "disk");
        var waiting = snapshot with
        {
            DataVolumes = [dv with { Status = dv.Status! with { Conditions = [] } }],
            CdiConfig = new Api.Config.CdiConfig
            {
                Metadata = new() { Name = "config" },
                Status = new() { DefaultPodResourceRequirements = new() { Requests = new() { ["cpu"] = "100m" } } },
            },
        };
        var foreseen = Analysis.Examiner.Examine(waiting).Single(f => f.Id == FindingIds.QuotaRequiresLimits);
        foreseen.Severity.Should().Be(Severity.Warning);
        foreseen.Summary.Should().Contain("limits.cpu,limits.memory");

        var limitRange = new Kube.Models.LimitRange
        {
            Metadata = new() { Name = "defaults", Namespace = "vms" },
            Spec = new() { Limits = [new() { Type = "Container", Default = new() { ["cpu"] = "1", ["memory"] = "1Gi" } }] },
        };
        Analysis.Examiner.Examine(waiting with { LimitRanges = [limitRange] }).Should().NotContain(f => f.Id == FindingIds.QuotaRequiresLimits);
    }
}
