using System.Text.Json;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// Worker pods (command <c>cdi-worker …</c>) run the native cdi-worker that ./cdi publishes, not the cdi CLI: a blank
/// import pod ends Succeeded with the worker's result as its termination message and a sparse disk.img of the size.
/// </summary>
[Collection(NodeClusterCollection.Name)]
public sealed class WorkerPodTests(NodeClusterFixture cluster)
{
    [Fact]
    public async Task A_blank_importer_pod_runs_the_native_worker_and_reports_its_result()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "blank"));
        var pod = NodeObjects.Pod(ns, "importer", cluster.Context.CdiImage, ["cdi-worker", "importer"], claim: "blank");
        var spec = """{"version":1,"source":"blank:","target":"/data","size":33554432,"filesystemOverhead":0}""";
        pod.Spec!.Containers[0] = pod.Spec.Containers[0] with { Env = [new EnvVar { Name = "CDI_IMPORTER_SPEC", Value = spec }] };
        await cluster.Client.CreateAsync(KubeResources.Pods, pod);

        var done = await NodeWait.ForAsync(() => cluster.Client.TryGetAsync(KubeResources.Pods, "importer", ns),
            p => p.Status?.Phase is "Succeeded" or "Failed", "pod importer: finished");
        var terminated = done.Status!.ContainerStatuses!.Single().State!.Terminated!;
        done.Status.Phase.Should().Be("Succeeded", terminated.Message);
        var result = JsonDocument.Parse(terminated.Message!).RootElement;
        result.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        result.GetProperty("message").GetString().Should().Be("Import Complete", "only cdi-worker has the importer command");

        var claim = await cluster.Client.GetAsync(KubeResources.PersistentVolumeClaims, "blank", ns);
        var volume = await cluster.Client.GetAsync(KubeResources.PersistentVolumes, claim.Spec!.VolumeName!);
        var disk = new FileInfo(Path.Combine(volume.Spec!.HostPath!.Path, "disk.img"));
        disk.Length.Should().Be(32L << 20);
    }
}
