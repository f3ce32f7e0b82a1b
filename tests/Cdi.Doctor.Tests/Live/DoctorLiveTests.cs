using Cdi.Doctor.Findings;
using Cdi.Doctor.Output;
using Cdi.Testing;

namespace Cdi.Doctor.Tests.Live;

/// <summary>
/// The failures that can be made real cheaply, made real on the local cluster and diagnosed by <c>./cdi doctor</c>:
/// the finding names the DataVolume, and where the remedy is one command, running it makes the import succeed.
/// </summary>
public sealed class DoctorLiveTests(DoctorClusterFixture env) : IClassFixture<DoctorClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private LocalCluster Cluster => env.Cluster;

    [Fact]
    public async Task Healthy_imports_give_no_warning_or_error_and_exit_0()
    {
        var ns = Cluster.NewNamespace();
        Cluster.Apply(Manifest("blank", "blank: {}"), ns);
        Cluster.Apply(Manifest("http", $"http: {{url: \"{env.Server.RangeUrl("disk.raw")}\"}}"), ns);
        await WaitForPhase(ns, "blank", "Succeeded");
        await WaitForPhase(ns, "http", "Succeeded");

        var run = env.Doctor("-n", ns, "-o", "json");
        FindingJson.Deserialize(run.Stdout).Where(f => f.Severity != Severity.Info).Should().BeEmpty(run.Stdout);
        run.ExitCode.Should().Be(0, run.Stderr);
        env.Doctor("-n", ns).Stdout.Should().Contain("No problems found.");

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
