using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Output;
using Cdi.Doctor.Rules;
using Cdi.Doctor.Snapshot;
using Cdi.Kube.Config;
using Cdi.Kube.Rest;
using Cdi.Testing;

namespace Cdi.Doctor.Tests.Live;

/// <summary>
/// The failures that can be made real cheaply, made real on the local cluster and diagnosed by <c>./cdi doctor</c>:
/// the finding names the DataVolume, and where the remedy is one command, running it makes the import succeed.
/// </summary>
[Collection(DoctorLiveCollection.Name)]
public sealed class DoctorLiveTests(DoctorClusterFixture env)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private LocalCluster Cluster => env.Cluster;

    [Fact]
    public async Task Healthy_imports_uploads_and_clones_give_no_warning_or_error_and_exit_0()
    {
        var ns = Cluster.NewNamespace();
        var other = Cluster.NewNamespace();
        Cluster.Apply(Manifest("blank", "blank: {}"), ns);
        Cluster.Apply(Manifest("http", $"http: {{url: \"{env.Server.RangeUrl("disk.raw")}\"}}"), ns);
        var upload = ProcessRunner.Run(RepoPaths.CdiScript, ["upload", "--dv", "upload", "-n", ns, "--image-path", env.Images.File("disk.raw"),
            "--size", "16Mi", "--kubeconfig", Cluster.Kubeconfig, "--progress", "none"], timeout: TimeSpan.FromMinutes(5));
        upload.ExitCode.Should().Be(0, upload.Stderr);
        await WaitForPhase(ns, "blank", "Succeeded");
        await WaitForPhase(ns, "http", "Succeeded");
        // Clones of the imported claim: within its namespace and (as the admin, so admission stamps the token) across.
        Cluster.Apply(Manifest("copy", $"pvc: {{namespace: {ns}, name: http}}"), ns);
        Cluster.Apply(Manifest("xcopy", $"pvc: {{namespace: {ns}, name: http}}"), other);
        await WaitForPhase(ns, "upload", "Succeeded");
        await WaitForPhase(ns, "copy", "Succeeded");
        await WaitForPhase(other, "xcopy", "Succeeded");

        foreach (var n in new[] { ns, other })
        {
            var run = env.Doctor("-n", n, "-o", "json");
            FindingJson.Deserialize(run.Stdout).Where(f => f.Severity != Severity.Info).Should().BeEmpty(run.Stdout);
            run.ExitCode.Should().Be(0, run.Stderr);
        }
        env.Doctor("-n", ns).Stdout.Should().Contain("No problems found.");
        // Nor later: finished uploads are never stalled.
        (await ExamineLater(ns, TimeSpan.FromHours(1))).Where(f => f.Severity != Severity.Info).Should().BeEmpty();

        // As a kubectl plugin: scripts/kubectl-cdi on PATH.
        var path = $"{Path.Combine(RepoPaths.Root, "scripts")}:{Environment.GetEnvironmentVariable("PATH")}";
        var plugin = ProcessRunner.Run("kubectl", ["cdi", "doctor", "-n", ns], environment: new Dictionary<string, string>
        {
            ["PATH"] = path,
            ["KUBECONFIG"] = Cluster.Kubeconfig,
        }, timeout: TimeSpan.FromMinutes(15));
        plugin.ExitCode.Should().Be(0, plugin.Stderr);
        plugin.Stdout.Should().Contain("No problems found.");
    }

    [Fact]
    public async Task Missing_class_bad_checksum_and_a_source_that_is_down_are_each_diagnosed_and_exit_1()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(Manifest("gold", "blank: {}", storageClass: "gold"), ns);
        Cluster.Apply(Manifest("badsum", $"http: {{url: \"{env.Server.RangeUrl("disk.raw")}\", checksum: \"sha256:{new string('0', 64)}\"}}"), ns);
        Cluster.Apply(Manifest("down", $"http: {{url: \"http://127.0.0.1:{FreePort.Next()}/disk.raw\"}}"), ns);

        IReadOnlyList<Finding> findings = [];
        var all = await Poll.UntilAsync(() =>
        {
            findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
            return findings.Select(f => f.Id).ToHashSet().IsSupersetOf([FindingIds.StorageClassMissing, FindingIds.ChecksumMismatch, FindingIds.SourceUnreachable]);
        }, Patience, TimeSpan.FromSeconds(1));
        all.Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}")));

        Single(findings, FindingIds.StorageClassMissing).Object.Should().Be(new ObjectRef("DataVolume", ns, "gold"));
        Single(findings, FindingIds.StorageClassMissing).Remedy.Should().Contain("create storage class gold").And.Contain("local");
        var checksum = Single(findings, FindingIds.ChecksumMismatch);
        checksum.Object.Should().Be(new ObjectRef("DataVolume", ns, "badsum"));
        checksum.Evidence[0].Should().Contain("reason=ChecksumMismatch");
        checksum.Remedy.Should().Contain("sha256sum");
        var down = Single(findings, FindingIds.SourceUnreachable);
        down.Object.Should().Be(new ObjectRef("DataVolume", ns, "down"));
        down.Remedy.Should().Contain("curl");

        env.Doctor("-n", ns).ExitCode.Should().Be(1);
        // One DataVolume named: only its findings.
        FindingJson.Deserialize(env.Doctor("-n", ns, "badsum", "-o", "json").Stdout).Select(f => f.Id).Should().Equal(FindingIds.ChecksumMismatch);
    }

    [Fact]
    public async Task Quota_that_requires_limits_and_a_missing_default_class_are_diagnosed_and_their_remedies_work()
    {
        // Both change cluster-wide settings, so they run in one test and put them back.
        var ns = Cluster.NewNamespace();
        Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", """{"spec":{"podResourceRequirements":{"requests":{"cpu":"100m","memory":"60M"}}}}""");
        Cluster.Ok("annotate", "storageclass", "local", "storageclass.kubernetes.io/is-default-class=false", "--overwrite");
        try
        {
            Cluster.Apply($"apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard:\n    limits.cpu: \"4\"\n    limits.memory: 8Gi\n", ns);
            Cluster.Apply(Manifest("quota", "blank: {}", storageClass: "local"), ns);
            Cluster.Apply(Manifest("nodefault", "blank: {}"), ns);

            IReadOnlyList<Finding> findings = [];
            (await Poll.UntilAsync(() =>
            {
                findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
                return findings.Any(f => f.Id == FindingIds.QuotaRequiresLimits && f.Severity == Severity.Error)
                    && findings.Any(f => f.Id == FindingIds.NoDefaultStorageClass);
            }, Patience, TimeSpan.FromSeconds(1))).Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}")));

            // The refused pod's DataVolume is an error; the one still waiting for a class is warned that it will be refused too.
            var quota = findings.Should().ContainSingle(f => f.Id == FindingIds.QuotaRequiresLimits && f.Object.Name == "quota").Subject;
            quota.Severity.Should().Be(Severity.Error);
            findings.Should().ContainSingle(f => f.Id == FindingIds.QuotaRequiresLimits && f.Object.Name == "nodefault")
                .Which.Severity.Should().Be(Severity.Warning);
            quota.Evidence.Should().Contain(e => e.Contains("failed quota: compute: must specify limits.cpu,limits.memory"));
            var noDefault = Single(findings, FindingIds.NoDefaultStorageClass);
            noDefault.Object.Should().Be(new ObjectRef("DataVolume", ns, "nodefault"));

            // The remedies, as given: CDIConfig pod limits, and marking a class default (the cluster has two, so "CLASS").
            quota.Remedy.Should().Contain("""kubectl patch cdiconfig config --type merge -p '{"spec":{"podResourceRequirements":{"limits":{"cpu":"750m","memory":"600M"}""");
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p",
                """{"spec":{"podResourceRequirements":{"limits":{"cpu":"750m","memory":"600M"},"requests":{"cpu":"100m","memory":"60M"}}}}""");
            noDefault.Remedy.Should().Contain("""kubectl patch storageclass CLASS -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'""");
            Cluster.Ok("patch", "storageclass", "local", "-p", """{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}""");
            await WaitForPhase(ns, "quota", "Succeeded");
            await WaitForPhase(ns, "nodefault", "Succeeded");
            env.Doctor("-n", ns).ExitCode.Should().Be(0);
        }
        finally
        {
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "json", "-p", """[{"op":"remove","path":"/spec/podResourceRequirements"}]""");
            Cluster.Ok("annotate", "storageclass", "local", "storageclass.kubernetes.io/is-default-class=true", "--overwrite");
        }
    }

    [Fact]
    public async Task An_upload_nobody_sends_to_is_stalled_ten_minutes_on_and_its_remedy_completes_it()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(Manifest("idle", "upload: {}"), ns);
        await WaitForPhase(ns, "idle", "UploadReady");

        // Just ready: nothing to say.
        FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout).Should().NotContain(f => f.Id == FindingIds.UploadStalled);
        (await ExamineLater(ns, UploadStalledRule.StalledAfter - TimeSpan.FromMinutes(1))).Should().NotContain(f => f.Id == FindingIds.UploadStalled);

        // The same cluster, its snapshot taken by a clock eleven minutes on.
        var stalled = (await ExamineLater(ns, UploadStalledRule.StalledAfter + TimeSpan.FromMinutes(1)))
            .Should().ContainSingle(f => f.Id == FindingIds.UploadStalled).Subject;
        stalled.Object.Should().Be(new ObjectRef("DataVolume", ns, "idle"));
        stalled.Severity.Should().Be(Severity.Warning);
        stalled.Evidence.Should().Contain("status.progress: N/A");
        const string Prefix = "upload the image: ";
        stalled.Remedy.Should().StartWith($"{Prefix}cdi upload --dv idle -n {ns} --no-create --image-path FILE ");

        // The remedy, as printed (./cdi for cdi, the image for FILE, this cluster's kubeconfig).
        var command = stalled.Remedy[Prefix.Length..stalled.Remedy.IndexOf(" (", StringComparison.Ordinal)].Split(' ');
        var run = ProcessRunner.Run(RepoPaths.CdiScript, [.. command[1..].Select(a => a == "FILE" ? env.Images.File("disk.raw") : a),
            "--kubeconfig", Cluster.Kubeconfig, "--progress", "none"], timeout: TimeSpan.FromMinutes(5));
        run.ExitCode.Should().Be(0, run.Stderr);
        await WaitForPhase(ns, "idle", "Succeeded");
        (await ExamineLater(ns, TimeSpan.FromHours(1))).Should().NotContain(f => f.Id == FindingIds.UploadStalled);
    }

    [Fact]
    public async Task A_clone_refused_by_admission_is_diagnosed_from_its_creators_event_and_the_granted_role_lets_it_through()
    {
        var golden = Cluster.NewNamespace();
        var ns = Cluster.NewNamespace();
        Cluster.Apply(Manifest("fedora", "blank: {}"), golden);
        // alice may create DataVolumes in her namespace, and nothing in golden.
        Cluster.Apply($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: dv-author}
            rules: [{apiGroups: [cdi.kubevirt.io], resources: [datavolumes], verbs: [create, get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: dv-author-alice}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dv-author}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
            """, ns);
        await WaitForPhase(golden, "fedora", "Succeeded");
        var file = Path.Combine(env.Images.Path, $"copy-{ns}.yaml");
        File.WriteAllText(file, Manifest("copy", $"pvc: {{namespace: {golden}, name: fedora}}"));

        var refused = Cluster.Kubectl("create", "-f", file, "-n", ns, "--as", "alice");
        refused.ExitCode.Should().NotBe(0);
        refused.Stderr.Should().Contain("may not clone claim");
        // kubectl keeps a refusal to itself; a controller that creates DataVolumes (KubeVirt's VM controller, say)
        // records it as a Warning event on its own object. Recorded here as such a controller would, with the real text.
        Cluster.Apply($$"""
            apiVersion: v1
            kind: Event
            metadata: {name: vm1.refused}
            involvedObject: {apiVersion: kubevirt.io/v1, kind: VirtualMachine, namespace: {{ns}}, name: vm1}
            type: Warning
            reason: FailedCreate
            message: {{System.Text.Json.JsonSerializer.Serialize("Error creating DataVolume copy: " + refused.Stderr.Trim())}}
            """, ns);

        IReadOnlyList<Finding> findings = [];
        (await Poll.UntilAsync(() =>
        {
            findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
            return findings.Any(f => f.Id == FindingIds.ClonePermissionDenied);
        }, Patience, TimeSpan.FromSeconds(1))).Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}")));
        var denied = Single(findings, FindingIds.ClonePermissionDenied);
        denied.Object.Should().Be(new ObjectRef("VirtualMachine", ns, "vm1"));
        denied.Severity.Should().Be(Severity.Error);
        denied.Summary.Should().Contain($"user alice may not clone claim {golden}/fedora");
        const string Prefix = "grant it in ";
        denied.Remedy.Should().StartWith($"{Prefix}{golden}: kubectl create role datavolume-cloner -n {golden} ")
            .And.Contain($"kubectl create rolebinding datavolume-cloner-alice -n {golden} --role=datavolume-cloner --user=alice");

        // The grant, as printed, lets alice's clone through.
        var grant = denied.Remedy[$"{Prefix}{golden}: ".Length..denied.Remedy.IndexOf("; ", StringComparison.Ordinal)];
        var run = env.RunRemedy(grant);
        run.ExitCode.Should().Be(0, $"{grant}: {run.Stderr}");
        var admitted = Cluster.Kubectl("create", "-f", file, "-n", ns, "--as", "alice");
        admitted.ExitCode.Should().Be(0, admitted.Stderr);
        await WaitForPhase(ns, "copy", "Succeeded");
    }

    [Fact]
    public async Task A_claim_waiting_for_its_first_consumer_is_a_warning_and_the_immediate_binding_remedy_imports_it()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(Manifest("later", $"http: {{url: \"{env.Server.RangeUrl("disk.raw")}\"}}", storageClass: "local-wffc"), ns);

        IReadOnlyList<Finding> findings = [];
        (await Poll.UntilAsync(() =>
        {
            findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
            return findings.Any(f => f.Id == FindingIds.WffcNoConsumer);
        }, Patience, TimeSpan.FromSeconds(1))).Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}")));
        var waiting = Single(findings, FindingIds.WffcNoConsumer);
        waiting.Object.Should().Be(new ObjectRef("DataVolume", ns, "later"));
        waiting.Severity.Should().Be(Severity.Warning);
        const string Marker = "or import now: ";
        waiting.Remedy.Should().EndWith($"{Marker}kubectl annotate dv later -n {ns} cdi.kubevirt.io/storage.bind.immediate.requested=true");
        // A warning alone does not fail the run.
        env.Doctor("-n", ns).ExitCode.Should().Be(0);

        var run = env.RunRemedy(waiting.Remedy[(waiting.Remedy.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..]);
        run.ExitCode.Should().Be(0, run.Stderr);
        await WaitForPhase(ns, "later", "Succeeded");
        FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout).Should().BeEmpty();
    }

    [Fact]
    public async Task A_scratch_class_that_cannot_provision_is_diagnosed_with_the_scratch_claim_it_leaves_pending_and_its_remedy_works()
    {
        // Changes CDIConfig and adds a class: put back in finally.
        var ns = Cluster.NewNamespace();
        Cluster.Apply("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: manual\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: Immediate\n");
        try
        {
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", """{"spec":{"scratchSpaceStorageClass":"manual"}}""");
            // An upload always writes through a scratch claim.
            Cluster.Apply(Manifest("stuck", "upload: {}", storageClass: "local"), ns);

            IReadOnlyList<Finding> findings = [];
            (await Poll.UntilAsync(() =>
            {
                findings = FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout);
                return findings.Any(f => f.Id == FindingIds.ScratchStorageClassInvalid) && findings.Any(f => f.Id == FindingIds.PvcUnbound);
            }, Patience, TimeSpan.FromSeconds(1))).Should().BeTrue(string.Join("; ", findings.Select(f => $"{f.Id} {f.Object}")));
            var scratch = Single(findings, FindingIds.ScratchStorageClassInvalid);
            scratch.Object.Should().Be(new ObjectRef("CDIConfig", null, "config"));
            scratch.Severity.Should().Be(Severity.Error);
            scratch.Remedy.Should().StartWith("""kubectl patch cdiconfig config --type merge -p '{"spec":{"scratchSpaceStorageClass":"local"}}'""");
            var unbound = Single(findings, FindingIds.PvcUnbound);
            unbound.Object.Kind.Should().Be("PersistentVolumeClaim");
            unbound.Object.Namespace.Should().Be(ns);
            unbound.Object.Name.Should().Be(Cdi.Controller.Storage.ResourceNames.Scratch("stuck"));
            Cluster.Ok("get", "pvc", unbound.Object.Name, "-n", ns, "-o", "jsonpath={.status.phase}").Should().Be("Pending");
            unbound.Remedy.Should().StartWith("create a PersistentVolume with storageClassName: manual");
            env.Doctor("-n", ns).ExitCode.Should().Be(1);

            // The remedy, as printed: a new upload gets its scratch claim bound and its server ready.
            var fix = scratch.Remedy.Split(" (or ")[0];
            var run = env.RunRemedy(fix);
            run.ExitCode.Should().Be(0, run.Stderr);
            Cluster.Apply(Manifest("fresh", "upload: {}", storageClass: "local"), ns);
            await WaitForPhase(ns, "fresh", "UploadReady");
            FindingJson.Deserialize(env.Doctor("-n", ns, "-o", "json").Stdout).Should().NotContain(f => f.Id == FindingIds.ScratchStorageClassInvalid);
        }
        finally
        {
            Cluster.Ok("patch", "cdiconfig", "config", "--type", "merge", "-p", """{"spec":{"scratchSpaceStorageClass":null}}""");
            Cluster.Ok("delete", "storageclass", "manual");
        }
    }

    /// <summary>What the doctor finds in <paramref name="ns"/> with its snapshot taken by a clock <paramref name="ahead"/> of now.</summary>
    private async Task<IReadOnlyList<Finding>> ExamineLater(string ns, TimeSpan ahead)
    {
        using var client = new KubeClient(KubeConfigLoader.FromFile(Cluster.Kubeconfig), new ShiftedClock(ahead));
        var snapshot = await new SnapshotCollector(client).CollectAsync(ns, CancellationToken.None);
        return Examiner.Examine(snapshot);
    }

    private static Finding Single(IReadOnlyList<Finding> findings, string id) => findings.Should().ContainSingle(f => f.Id == id).Subject;

    private async Task WaitForPhase(string ns, string name, string phase) =>
        await Poll.OrThrowAsync(() => Task.FromResult(Cluster.Kubectl("get", "dv", name, "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == phase),
            Patience, () => Cluster.Kubectl("describe", "dv", name, "-n", ns).Stdout, TimeSpan.FromMilliseconds(250));

    private static string Manifest(string name, string source, string? storageClass = null) => $$"""
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata:
          name: {{name}}
        spec:
          source:
            {{source}}
          storage:
        {{(storageClass is null ? "" : $"    storageClassName: {storageClass}")}}
            resources:
              requests:
                storage: 16Mi
        """;
}
