using Cdi.Cluster.Tests.Kubectl;

namespace Cdi.Cluster.Tests;

[Collection(ClusterCollection.Name)]
public sealed class KubectlWatchTests(SharedCluster shared)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private LocalCluster Cluster => shared.Cluster;

    private KubectlRunner K => Cluster.Kubectl;

    [Theory]
    [InlineData("cm", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: NAME}\ndata: {a: b}\n")]
    [InlineData("secrets", "apiVersion: v1\nkind: Secret\nmetadata: {name: NAME}\nstringData: {a: b}\n")]
    [InlineData("pods", "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  containers: [{name: c, image: cdi.local/cdi:latest}]\n")]
    [InlineData("pvc", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: NAME}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n")]
    [InlineData("quota", "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: NAME}\nspec:\n  hard: {pods: \"10\"}\n")]
    [InlineData("limits", "apiVersion: v1\nkind: LimitRange\nmetadata: {name: NAME}\nspec:\n  limits: [{type: Container, default: {cpu: 500m}}]\n")]
    [InlineData("dv", "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {name: NAME}\nspec:\n  source: {blank: {}}\n  storage: {resources: {requests: {storage: 1Gi}}}\n")]
    public async Task Get_watch_shows_objects_as_they_are_created(string resource, string template)
    {
        var ns = await Cluster.NamespaceAsync("watch");
        await using var watch = new StreamingProcess(K.StartInfo(["get", resource, "-w", "-n", ns]));
        // The watch is established once the (empty) initial list has been printed or it is waiting; create until seen.
        var name = "watched-" + Guid.NewGuid().ToString("N")[..6];
        await K.ApplyAsync(template.Replace("NAME", name, StringComparison.Ordinal), "-n", ns);
        (await watch.WaitForAsync(o => o.Contains(name, StringComparison.Ordinal), Timeout)).Should().BeTrue(watch.Output);
        var second = name + "-b";
        await K.ApplyAsync(template.Replace("NAME", second, StringComparison.Ordinal), "-n", ns);
        (await watch.WaitForAsync(o => o.Contains(second, StringComparison.Ordinal), Timeout)).Should().BeTrue(watch.Output);
    }

    [Theory]
    [InlineData("ns", "apiVersion: v1\nkind: Namespace\nmetadata: {name: NAME}\n")]
    [InlineData("pv", "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: NAME}\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp/NAME}\n")]
    [InlineData("sc", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: NAME}\nprovisioner: example.com/none\n")]
    [InlineData("crd", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: NAME.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: NAME, singular: NAMEs, kind: Kind}\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]\n")]
    public async Task Get_watch_works_for_cluster_scoped_kinds(string resource, string template)
    {
        await using var watch = new StreamingProcess(K.StartInfo(["get", resource, "-w"]));
        var name = "w" + Guid.NewGuid().ToString("N")[..6];
        await K.ApplyAsync(template.Replace("NAME", name, StringComparison.Ordinal));
        (await watch.WaitForAsync(o => o.Contains(name, StringComparison.Ordinal), Timeout)).Should().BeTrue(watch.Output);
        await K.OkAsync("delete", resource, resource == "crd" ? name + ".example.com" : name);
    }

    [Fact]
    public async Task Wait_for_jsonpath_returns_when_the_status_changes()
    {
        var ns = await Cluster.NamespaceAsync("wait");
        await K.ApplyAsync("apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata: {name: disk}\nspec:\n  source: {blank: {}}\n  storage: {resources: {requests: {storage: 1Gi}}}\n", "-n", ns);
        await using var wait = new StreamingProcess(K.StartInfo(["wait", "--for=jsonpath={.status.phase}=Succeeded", "dv/disk", "-n", ns, "--timeout=60s"]));
        await K.OkAsync("patch", "dv", "disk", "-n", ns, "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Succeeded\",\"progress\":\"100.0%\"}}");
        (await wait.ExitCodeAsync(Timeout)).Should().Be(0, wait.Output);
        wait.Output.Should().Contain("condition met");
    }

    [Fact]
    public async Task Delete_waits_for_the_object_to_go()
    {
        var ns = await Cluster.NamespaceAsync("delwait");
        await K.ApplyAsync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n", "-n", ns);
        await using var delete = new StreamingProcess(K.StartInfo(["delete", "cm", "held", "-n", ns, "--timeout=60s"]));
        (await Eventually.TrueAsync(async () =>
            (await K.RunAsync("get", "cm", "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}")).Stdout.Length > 0, Timeout)).Should().BeTrue();
        delete.Process.HasExited.Should().BeFalse("kubectl delete waits while a finalizer holds the object");
        await K.OkAsync("patch", "cm", "held", "-n", ns, "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        (await delete.ExitCodeAsync(Timeout)).Should().Be(0, delete.Output);
    }
}
