using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>A cluster without a default storage class: the DataVolume says so instead of sitting in Pending.</summary>
public sealed class NoDefaultClassTests : IDisposable
{
    private readonly LocalCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public void Datavolume_without_class_reports_the_missing_default_and_recovers_when_one_appears()
    {
        _cluster.Ok("annotate", "storageclass", "local", "storageclass.kubernetes.io/is-default-class=false", "--overwrite");
        var ns = _cluster.NewNamespace();
        _cluster.Apply(DataVolumeManifests.Blank("orphan"), ns);
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "orphan", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Bound\")].reason}").Stdout == "NoStorageClass",
            TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "orphan", "-n", ns).Stdout);
        _cluster.Ok("describe", "dv", "orphan", "-n", ns).Should().Contain("ErrNoStorageClass").And.Contain("no default storage class");
        _cluster.Ok("get", "pvc", "-n", ns, "-o", "name").Should().BeEmpty();

        _cluster.Ok("annotate", "storageclass", "local", "storageclass.kubernetes.io/is-default-class=true", "--overwrite");
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "orphan", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
            TimeSpan.FromMinutes(2), () => _cluster.Kubectl("describe", "dv", "orphan", "-n", ns).Stdout);
    }
}
