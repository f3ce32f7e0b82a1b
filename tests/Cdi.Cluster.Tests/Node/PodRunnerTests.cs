using Cdi.Cluster.Kubelet;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

[Collection(NodeClusterCollection.Name)]
public sealed class PodRunnerTests(NodeClusterFixture cluster)
{
    private KubeClient Client => cluster.Client;
    private string Image => cluster.Context.CdiImage;

    [Fact]
    public async Task Pod_running_cdi_with_a_mounted_claim_succeeds_and_kubectl_shows_its_log()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "data"));
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "help", Image, ["/usr/bin/cdi", "--help"], claim: "data"));

        var pod = await PodAsync(ns, "help", p => p.Status?.Phase == "Succeeded", "Succeeded");
        var main = pod.Status!.ContainerStatuses!.Single();
        main.State!.Terminated!.ExitCode.Should().Be(0);
        main.State.Terminated.Reason.Should().Be("Completed");
        main.State.Terminated.FinishedAt.Should().NotBeNull();
        pod.Spec!.NodeName.Should().NotBeNullOrEmpty();
        // Each pod has its own loopback address (its importer serves progress there); the node is 127.0.0.1.
        pod.Status.PodIP.Should().StartWith("127.").And.NotBe("127.0.0.1");
        pod.Status.HostIP.Should().Be("127.0.0.1");
        pod.Status.Conditions!.Should().Contain(c => c.Type == "PodScheduled" && c.Status == "True");

        var (exit, output) = await Kubectl.RunAsync(cluster.KubeconfigPath, "logs", "-n", ns, "help");
        exit.Should().Be(0, output);
        output.Should().Contain("cluster").And.Contain("import");
        (await Client.GetPodLogsAsync(ns, "help")).Should().Be(output, "pods/log through the client serves the same file");
    }

    [Fact]
    public async Task Failing_container_restarts_in_CrashLoopBackOff_and_counts_restarts()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "crash", Image, ["cdi", "no-such-command"], restartPolicy: "Always"));

        await PodAsync(ns, "crash", p => First(p)?.State?.Waiting?.Reason == "CrashLoopBackOff", "CrashLoopBackOff");
        var pod = await PodAsync(ns, "crash", p => First(p)?.RestartCount >= 2, "two restarts");
        First(pod)!.LastState!.Terminated!.ExitCode.Should().NotBe(0);
        First(pod)!.LastState!.Terminated!.Reason.Should().Be("Error");
        pod.Status!.Phase.Should().Be("Running");
        await Client.DeleteAsync(KubeResources.Pods, "crash", ns);
    }

    [Fact]
    public async Task Failed_container_reports_its_log_tail_as_termination_message_when_asked()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "fails", Image, ["cdi", "no-such-command"],
            terminationMessagePolicy: "FallbackToLogsOnError"));
        var pod = await PodAsync(ns, "fails", p => p.Status?.Phase == "Failed", "Failed");
        var terminated = First(pod)!.State!.Terminated!;
        terminated.Reason.Should().Be("Error");
        terminated.ExitCode.Should().NotBe(0);
        terminated.Message.Should().StartWith("error:", "the tail of the log stands in for the empty termination file");
        First(pod)!.RestartCount.Should().Be(0, "restartPolicy Never");
    }

    [Fact]
    public async Task Other_images_cannot_be_pulled_on_this_node()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "bb", "busybox", ["sh", "-c", "true"]));
        var pod = await PodAsync(ns, "bb", p => First(p)?.State?.Waiting?.Reason == "ImagePullBackOff", "ImagePullBackOff");
        pod.Status!.Phase.Should().Be("Pending");
        First(pod)!.State!.Waiting!.Message.Should().Contain("Back-off pulling image \"busybox\"").And.Contain("only the cdi image");
    }

    [Fact]
    public async Task Pod_with_a_missing_claim_is_unschedulable()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "orphan", Image, ["cdi", "--help"], claim: "nope"));
        var pod = await PodAsync(ns, "orphan", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true,
            "PodScheduled=False");
        var scheduled = pod.Status!.Conditions!.Single(c => c.Type == "PodScheduled");
        scheduled.Reason.Should().Be("Unschedulable");
        scheduled.Message.Should().Be("persistentvolumeclaim \"nope\" not found");
        pod.Status.Phase.Should().Be("Pending");

        // Creating the claim lets it run.
        await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "nope"));
        await PodAsync(ns, "orphan", p => p.Status?.Phase == "Succeeded", "Succeeded once the claim exists");
    }

    [Fact]
    public async Task Deleting_a_running_pod_ends_its_process_tree()
    {
        var ns = await cluster.NewNamespaceAsync();
        // `cdi cluster up` in the foreground runs until killed: a long-lived cdi process with children of its own.
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "long", Image, ["cdi", "cluster", "up", "--dir", "inner", "--port", "0"]));
        await PodAsync(ns, "long", p => First(p)?.State?.Running is not null, "Running");
        var podDir = Path.Combine(cluster.Directory, "pods", ns, "long");
        await NodeWait.UntilAsync(() => LocalProcesses.RunningIn(podDir).Count > 0, "the container process");

        await Client.DeleteAsync(KubeResources.Pods, "long", ns);
        await NodeWait.UntilAsync(() => LocalProcesses.RunningIn(podDir).Count == 0, "the container process to end");
    }

    private static ContainerStatus? First(Pod p) => p.Status?.ContainerStatuses?.FirstOrDefault();

    private Task<Pod> PodAsync(string ns, string name, Func<Pod, bool> condition, string what) =>
        NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.Pods, name, ns), condition, $"pod {name}: {what}");
}
