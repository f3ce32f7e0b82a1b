using Cdi.Cluster.FileSafety;
using Cdi.Cluster.Kubelet;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

/// <summary>
/// The pod runner fed hostile names directly, as if the API server had let them through: every name that would
/// become a path is refused with a CreateContainerConfigError naming the field, and nothing appears outside the pod's
/// folder. (Objects are handed to the runner's parts without the API where the API would now refuse them.)
/// </summary>
[Collection(NodeClusterCollection.Name)]
public sealed class HostileNamesTests(NodeClusterFixture cluster) : IDisposable
{
    private readonly string _marker = "escape-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _outside = Directory.CreateTempSubdirectory("cdi-outside-").FullName;

    private KubeClient Client => cluster.Client;

    private string[] Hostile =>
    [
        "../../" + _marker, "../../../../../" + _marker, "/tmp/" + _marker, _marker + "/../../../x", "..", ".", "", "a\0" + _marker,
    ];

    [Fact]
    public void Node_paths_refuse_every_hostile_namespace_pod_container_and_volume_name()
    {
        var paths = new NodePaths(cluster.Directory);
        foreach (var bad in Hostile)
        {
            Refused(() => paths.PodDirectory(bad, "p"), "namespace");
            Refused(() => paths.PodDirectory("ns", bad), "pod name");
            Refused(() => paths.LogFile("ns", "p", bad), "container name");
            Refused(() => paths.TerminationLogFile("ns", "p", bad), "container name");
            Refused(() => paths.VolumeDirectory("ns", "p", bad), "volume name");
            Refused(() => PodPaths.Log(cluster.Directory, "ns", bad, "c"), "pod name");
        }
        NothingEscaped();
    }

    [Fact]
    public async Task A_pod_named_to_climb_out_fails_to_start_with_a_config_error_and_creates_nothing()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = CdiPod(ns, "../../../../../" + _marker, "main");
        await using var worker = new PodWorker(Client, cluster.Context, new PodRunnerOptions(), new NodePaths(cluster.Directory), pod, "127.0.0.1");
        worker.Start();

        var waiting = await WaitingAsync(worker, "CreateContainerConfigError");
        waiting.Message.Should().Contain("pod name").And.Contain("cannot be used as a file name");
        NothingEscaped();
    }

    [Fact]
    public async Task A_container_named_to_climb_out_fails_to_start_with_a_config_error_and_creates_nothing()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = CdiPod(ns, "p", "../../../" + _marker);
        await using var worker = new PodWorker(Client, cluster.Context, new PodRunnerOptions(), new NodePaths(cluster.Directory), pod, "127.0.0.1");
        worker.Start();

        var waiting = await WaitingAsync(worker, "CreateContainerConfigError");
        waiting.Message.Should().Contain("container name");
        NothingEscaped();
        Directory.EnumerateFileSystemEntries(Path.Combine(cluster.Directory, "pods", ns, "p")).Should().BeEmpty("no log or termination file was made");
    }

    [Fact]
    public async Task Volume_names_item_paths_and_host_paths_that_climb_out_are_refused_before_anything_is_written()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "cm", Namespace = ns }, Data = new() { ["key"] = "value" },
        });
        await Client.CreateAsync(KubeResources.Secrets, new Secret
        {
            Metadata = new ObjectMeta { Name = "s", Namespace = ns }, Data = new() { ["key"] = "secret"u8.ToArray() },
        });
        var paths = new NodePaths(cluster.Directory);
        Volume[] hostile =
        [
            new() { Name = "../../" + _marker, EmptyDir = new EmptyDirVolumeSource() },
            new() { Name = "cm", ConfigMap = new ConfigMapVolumeSource { Name = "cm", Items = [new KeyToPath { Key = "key", Path = "../" + _marker }] } },
            new() { Name = "cm", ConfigMap = new ConfigMapVolumeSource { Name = "cm", Items = [new KeyToPath { Key = "key", Path = "../../../../" + _marker }] } },
            new() { Name = "s", Secret = new SecretVolumeSource { SecretName = "s", Items = [new KeyToPath { Key = "key", Path = "/tmp/" + _marker }] } },
            new() { Name = "s", Secret = new SecretVolumeSource { SecretName = "s", Items = [new KeyToPath { Key = "key", Path = "a/../../" + _marker }] } },
            new() { Name = "h", HostPath = new HostPathVolumeSource { Path = _outside } },
            new() { Name = "h", HostPath = new HostPathVolumeSource { Path = cluster.Directory + "/../" + _marker } },
        ];
        foreach (var volume in hostile)
        {
            var pod = new Pod { Metadata = new ObjectMeta { Name = "v", Namespace = ns }, Spec = new PodSpec { Volumes = [volume] } };
            var act = () => PodVolumes.PrepareAsync(Client, pod, paths, CancellationToken.None);
            (await act.Should().ThrowAsync<PodSetupException>(volume.Name)).Which.Reason.Should().Be("CreateContainerConfigError");
        }
        NothingEscaped();
        Directory.EnumerateFileSystemEntries(_outside).Should().BeEmpty();
    }

    [Fact]
    public void ConfigMap_and_secret_keys_that_are_not_plain_names_are_refused_before_the_volume_is_touched()
    {
        var dir = new NodePaths(cluster.Directory).VolumeDirectory("keys-ns", "p", "v");
        foreach (var key in (string[])["..", ".", "../" + _marker, "a/b", "", "x\0y"])
        {
            var files = new Dictionary<string, byte[]> { [key] = "x"u8.ToArray() };
            var act = () => PodVolumes.Materialize(dir, files, null, "secret \"s\"", OwnerOnly.Directory, OwnerOnly.File);
            act.Should().Throw<UnsafePathException>(key).WithMessage("key of secret \"s\" *");
        }
        Directory.Exists(dir.FullPath).Should().BeFalse("the refusal comes before the folder is made");
        NothingEscaped();
    }

    [Fact]
    public async Task A_subPath_climbing_out_of_its_volume_or_through_a_planted_link_is_a_config_error()
    {
        var volume = Directory.CreateTempSubdirectory("cdi-volume-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(volume, "link"), _outside);
            var volumes = new Dictionary<string, string> { ["data"] = volume };
            var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "default" }, Spec = new PodSpec { Containers = [] } };
            foreach (var subPath in (string[])["../../etc", "/etc", "a/../../x", "link", "link/inner"])
            {
                var container = new Container { Name = "c", VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data", SubPath = subPath }] };
                var act = () => ContainerEnvironment.BuildAsync(Client, cluster.Context, pod, "127.0.0.1", container, volumes, "/t", null, CancellationToken.None);
                var thrown = await act.Should().ThrowAsync<PodSetupException>(subPath);
                thrown.Which.Reason.Should().Be("CreateContainerConfigError");
                thrown.Which.Message.Should().StartWith("volumeMount \"data\": ");
            }
            var fine = new Container { Name = "c", VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data", SubPath = "disk/part" }] };
            var env = await ContainerEnvironment.BuildAsync(Client, cluster.Context, pod, "127.0.0.1", fine, volumes, "/t", null, CancellationToken.None);
            env.Values.Should().Contain(Path.Combine(volume, "disk", "part"));
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    [Fact]
    public async Task A_link_planted_where_the_pod_folder_goes_fails_the_pod_and_nothing_is_written_through_it()
    {
        var ns = await cluster.NewNamespaceAsync();
        Directory.CreateDirectory(Path.Combine(cluster.Directory, "pods", ns));
        Directory.CreateSymbolicLink(Path.Combine(cluster.Directory, "pods", ns, "planted"), _outside);
        await Client.CreateAsync(KubeResources.Pods, CdiPod(ns, "planted", "main"));

        var pod = await NodeWait.ForAsync(() => Client.TryGetAsync(KubeResources.Pods, "planted", ns),
            p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        pod.Status!.ContainerStatuses![0].State!.Waiting!.Message.Should().Contain("is a symbolic link");
        Directory.EnumerateFileSystemEntries(_outside).Should().BeEmpty("no log, termination file or volume went through the link");

        await Client.DeleteAsync(KubeResources.Pods, "planted", ns);
        await NodeWait.UntilAsync(() => !Path.Exists(Path.Combine(cluster.Directory, "pods", ns, "planted")), "the pod folder (the link) to be removed");
        Directory.Exists(_outside).Should().BeTrue("removing the pod's folder removed the link, not its target");
    }

    [Fact]
    public async Task A_secret_volume_folder_replaced_by_a_link_is_replaced_again_not_written_through()
    {
        var ns = await cluster.NewNamespaceAsync();
        await Client.CreateAsync(KubeResources.Secrets, new Secret
        {
            Metadata = new ObjectMeta { Name = "s", Namespace = ns }, Data = new() { ["key"] = "secret"u8.ToArray() },
        });
        File.WriteAllText(Path.Combine(_outside, "keep"), "precious");
        var volumes = Path.Combine(cluster.Directory, "pods", ns, "p", "volumes");
        Directory.CreateDirectory(volumes);
        Directory.CreateSymbolicLink(Path.Combine(volumes, "creds"), _outside);
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = ns },
            Spec = new PodSpec { Volumes = [new Volume { Name = "creds", Secret = new SecretVolumeSource { SecretName = "s" } }] },
        };

        var prepared = await PodVolumes.PrepareAsync(Client, pod, new NodePaths(cluster.Directory), CancellationToken.None);

        new DirectoryInfo(prepared["creds"]).LinkTarget.Should().BeNull();
        File.ReadAllText(Path.Combine(prepared["creds"], "key")).Should().Be("secret");
        Directory.EnumerateFileSystemEntries(_outside).Select(Path.GetFileName).Should().Equal("keep");
        File.ReadAllText(Path.Combine(_outside, "keep")).Should().Be("precious");

        // A link one level up (the volumes folder itself) is refused outright.
        Directory.Delete(volumes, recursive: true);
        Directory.CreateSymbolicLink(volumes, _outside);
        var act = () => PodVolumes.PrepareAsync(Client, pod, new NodePaths(cluster.Directory), CancellationToken.None);
        (await act.Should().ThrowAsync<PodSetupException>()).Which.Message.Should().Contain("is a symbolic link");
        Directory.EnumerateFileSystemEntries(_outside).Select(Path.GetFileName).Should().Equal("keep");
    }

    [Fact]
    public async Task A_log_replaced_by_a_link_is_refused_by_the_log_server_not_served()
    {
        var ns = await cluster.NewNamespaceAsync();
        // Another image: the runner never starts it, so only the planted link is there.
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "p", "busybox", ["sh"]));
        File.WriteAllText(Path.Combine(_outside, "id_rsa"), "PRIVATE KEY");
        Directory.CreateDirectory(Path.Combine(cluster.Directory, "pods", ns, "p"));
        File.CreateSymbolicLink(Path.Combine(cluster.Directory, "pods", ns, "p", "main.log"), Path.Combine(_outside, "id_rsa"));

        var act = () => Client.GetPodLogsAsync(ns, "p");
        var refused = (await act.Should().ThrowAsync<KubeApiException>()).Which;
        refused.Code.Should().Be(System.Net.HttpStatusCode.BadRequest);
        refused.Message.Should().Contain("is a symbolic link").And.NotContain("PRIVATE KEY");

        var (exit, output) = await Kubectl.RunAsync(cluster.KubeconfigPath, "logs", "-n", ns, "p");
        exit.Should().NotBe(0);
        output.Should().Contain("is a symbolic link").And.NotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task A_link_planted_where_a_volume_goes_is_a_ProvisioningFailed_event_and_nothing_is_written_through_it()
    {
        var ns = await cluster.NewNamespaceAsync();
        var claim = await Client.CreateAsync(KubeResources.PersistentVolumeClaims, NodeObjects.Claim(ns, "late", storageClass: "local-wffc"));
        Directory.CreateDirectory(Path.Combine(cluster.Directory, "volumes"));
        Directory.CreateSymbolicLink(Path.Combine(cluster.Directory, "volumes", "pvc-" + claim.Metadata.Uid), _outside);
        await Client.CreateAsync(KubeResources.Pods, NodeObjects.Pod(ns, "consumer", cluster.Context.CdiImage, ["cdi", "--help"], claim: "late"));

        var failed = await NodeWait.ForAsync(
            async () => (await Client.ListAsync(KubeResources.Events, ns)).Items.FirstOrDefault(e => e.Reason == "ProvisioningFailed"),
            _ => true, "a ProvisioningFailed event");
        failed.InvolvedObject.Name.Should().Be("late");
        failed.Message.Should().Contain("is a symbolic link");
        (await Client.GetAsync(KubeResources.PersistentVolumeClaims, "late", ns)).Status?.Phase.Should().NotBe("Bound");
        Directory.EnumerateFileSystemEntries(_outside).Should().BeEmpty();
        await Client.DeleteAsync(KubeResources.Pods, "consumer", ns);
    }

    private Pod CdiPod(string ns, string name, string container)
    {
        var pod = NodeObjects.Pod(ns, name, cluster.Context.CdiImage, ["cdi", "--help"]);
        // These pods live only in their worker, never in the API: no service-account token can be bound to them.
        return pod with { Spec = pod.Spec! with { Containers = [pod.Spec.Containers[0] with { Name = container }], AutomountServiceAccountToken = false } };
    }

    private static async Task<ContainerStateWaiting> WaitingAsync(PodWorker worker, string reason)
    {
        ContainerStateWaiting? waiting = null;
        await NodeWait.UntilAsync(() =>
        {
            waiting = worker.CurrentStatus().ContainerStatuses?.FirstOrDefault()?.State?.Waiting;
            return waiting?.Reason == reason;
        }, $"waiting reason {reason}");
        return waiting!;
    }

    private static void Refused(Func<ContainedPath> build, string field) =>
        build.Should().Throw<UnsafePathException>().WithMessage($"{field} \"*");

    // Wherever a naive Path.Combine would have put it: inside the cluster folder, beside it, or at the top.
    private void NothingEscaped()
    {
        var parent = Path.GetDirectoryName(cluster.Directory)!;
        Directory.EnumerateFileSystemEntries(cluster.Directory, "*" + _marker + "*", SearchOption.AllDirectories).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(parent, "*" + _marker + "*").Should().BeEmpty();
        Path.Exists("/" + _marker).Should().BeFalse();
        Path.Exists("/tmp/" + _marker).Should().BeFalse();
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);
}
