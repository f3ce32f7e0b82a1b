using System.Text.Json.Nodes;
using Cdi.Api.Config;
using Cdi.Api.Operator;
using Cdi.Controller.Cloning;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Controller.Uploading;
using Cdi.Controller.Workers;
using Cdi.Kube.Models;

namespace Cdi.Controller.Tests;

/// <summary>
/// Issue 17: every worker pod (importer, upload server, clone source) is restricted-level, carries upstream's labels,
/// runs where the CDI resource's <c>spec.workload</c> says and pulls with CDIConfig's <c>imagePullSecrets</c>.
/// </summary>
public sealed class WorkerPodPlacementTests
{
    private static readonly CdiInstance Installation = new()
    {
        Metadata = new() { Name = "cdi" },
        Spec = new()
        {
            Workload = new()
            {
                NodeSelector = new() { ["disktype"] = "ssd" },
                Tolerations = [new() { Key = "dedicated", Operator = "Equal", Value = "storage", Effect = "NoSchedule" }],
                Affinity = JsonNode.Parse("""{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}}""")!.AsObject(),
            },
        },
    };

    private static readonly CdiConfig Config = new()
    {
        Metadata = new() { Name = CdiConfig.SingletonName },
        Spec = new() { ImagePullSecrets = [new() { Name = "spec-pull" }] },
        Status = new() { ImagePullSecrets = [new() { Name = "registry-pull" }] },
    };

    private static EffectiveSettings Placed => EffectiveSettings.Defaults(Observations.Options) with { Placement = WorkerPlacement.From(Installation, Config) };

    private static IEnumerable<(string Role, Pod Pod)> Workers(EffectiveSettings settings)
    {
        var dv = Observations.HttpDv();
        var claim = Observations.Claim();
        var scratch = claim with { Metadata = claim.Metadata with { Name = claim.Metadata.Name + "-scratch" } };
        var options = Observations.Options with { CloneSigningKey = null };
        yield return ("importer", ImporterPodFactory.Create(dv, claim, null, 1, options, settings));
        yield return ("cdi-upload-server", UploadPodFactory.Create(dv, claim, scratch, 1, options, settings));
        var target = claim with { Metadata = claim.Metadata with { Uid = "target-uid" } };
        yield return ("cdi-clone-source", CloneSourcePodFactory.Create(dv, target, claim, "10.0.0.9", 1, options, settings));
    }

    [Fact]
    public void Every_worker_pod_meets_the_restricted_level_and_carries_upstream_labels()
    {
        foreach (var (role, pod) in Workers(EffectiveSettings.Defaults(Observations.Options)))
        {
            var spec = pod.Spec!;
            spec.SecurityContext!.RunAsNonRoot.Should().BeTrue(role);
            spec.SecurityContext.RunAsUser.Should().Be(107, role);
            spec.SecurityContext.SeccompProfile!.Type.Should().Be("RuntimeDefault", role);
            var container = spec.Containers.Should().ContainSingle(role).Subject.SecurityContext!;
            container.AllowPrivilegeEscalation.Should().BeFalse(role);
            container.Capabilities!.Drop.Should().Equal(["ALL"], role);
            container.Capabilities.Add.Should().BeNull(role);
            container.Privileged.Should().BeNull(role);
            pod.Metadata.Labels.Should().Contain("app", "containerized-data-importer").And.Contain("cdi.kubevirt.io", role)
                .And.Contain("prometheus.cdi.kubevirt.io", "true");
            spec.NodeSelector.Should().BeNull(role);
            spec.Tolerations.Should().BeNull(role);
            spec.Affinity.Should().BeNull(role);
            spec.ImagePullSecrets.Should().BeNull(role);
        }
    }

    [Fact]
    public void Workload_placement_and_pull_secrets_reach_every_worker_pod()
    {
        foreach (var (role, pod) in Workers(Placed))
        {
            var spec = pod.Spec!;
            spec.NodeSelector.Should().Equal(new Dictionary<string, string> { ["disktype"] = "ssd" }, role);
            spec.Tolerations.Should().ContainSingle(role).Which.Should().Be(Installation.Spec!.Workload!.Tolerations![0]);
            JsonNode.DeepEquals(spec.Affinity, Installation.Spec.Workload.Affinity).Should().BeTrue(role);
            spec.Affinity.Should().NotBeSameAs(Installation.Spec.Workload.Affinity, "the cached CDI resource is never shared with a pod");
            spec.ImagePullSecrets.Should().Equal([new LocalObjectReference { Name = "registry-pull" }], "the status (what the controller resolved) wins");
        }
    }

    [Fact]
    public void Pull_secrets_reach_the_status_and_fall_back_to_the_spec_before_it_does()
    {
        ClusterSettingsDecider.ConfigStatus(Config.Spec, [], Observations.Options).ImagePullSecrets
            .Should().Equal([new LocalObjectReference { Name = "spec-pull" }]);
        ClusterSettingsDecider.ConfigStatus(new CdiConfigSpec(), [], Observations.Options).ImagePullSecrets.Should().BeNull();
        WorkerPlacement.From(null, Config with { Status = null }).ImagePullSecrets.Should().Equal([new LocalObjectReference { Name = "spec-pull" }]);
        WorkerPlacement.From(null, null).Should().Be(WorkerPlacement.None);
    }
}
