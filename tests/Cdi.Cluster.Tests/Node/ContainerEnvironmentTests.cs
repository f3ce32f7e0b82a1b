using Cdi.Cluster.Kubelet;
using Cdi.Kube.Local;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

[Collection(NodeClusterCollection.Name)]
public sealed class ContainerEnvironmentTests(NodeClusterFixture cluster)
{
    [Fact]
    public async Task Mounts_devices_termination_log_and_references_become_environment()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(KubeResources.Secrets, new Secret
        {
            Metadata = new ObjectMeta { Name = "creds", Namespace = ns }, Data = new() { ["user"] = "alice"u8.ToArray() },
        });
        await cluster.Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "cfg", Namespace = ns }, Data = new() { ["endpoint"] = "http://x" },
        });
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = ns },
            Spec = new PodSpec { Containers = [] },
        };
        var container = new Container
        {
            Name = "importer",
            VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }, new VolumeMount { Name = "scratch", MountPath = "/scratch" }],
            VolumeDevices = [new VolumeDevice { Name = "blk", DevicePath = "/dev/cdi-block-volume" }],
            Env =
            [
                new EnvVar { Name = "USER", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = "creds", Key = "user" } } },
                new EnvVar { Name = "ENDPOINT", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = "cfg", Key = "endpoint" } } },
                new EnvVar { Name = "POD", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new EnvVar { Name = "HOST_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.hostIP" } } },
                new EnvVar { Name = "URL", Value = "$(ENDPOINT)/disk.img" },
            ],
        };
        var volumes = new Dictionary<string, string> { ["data"] = "/v/pvc-1", ["scratch"] = "/v/pvc-2", ["blk"] = "/v/pvc-3.img" };

        var env = await ContainerEnvironment.BuildAsync(cluster.Client, cluster.Context, pod, "127.3.4.5", container, volumes, "/pods/p/importer.termination-log",
            "/pods/p/serviceaccount", CancellationToken.None);

        LocalPaths.Resolve("/data/disk.img", env.GetValueOrDefault).Should().Be("/v/pvc-1/disk.img");
        LocalPaths.Resolve("/scratch", env.GetValueOrDefault).Should().Be("/v/pvc-2");
        LocalPaths.Resolve("/dev/cdi-block-volume", env.GetValueOrDefault).Should().Be("/v/pvc-3.img");
        LocalPaths.TerminationLog(env.GetValueOrDefault).Should().Be("/pods/p/importer.termination-log");
        LocalPaths.Resolve("/dev/termination-log", env.GetValueOrDefault).Should().Be("/pods/p/importer.termination-log");
        env["USER"].Should().Be("alice");
        env["URL"].Should().Be("http://x/disk.img");
        env["POD"].Should().Be("p");
        env["POD_IP"].Should().Be("127.3.4.5", "each pod has its own loopback address");
        env["HOST_IP"].Should().Be("127.0.0.1");
        env.Should().NotContainKey("KUBECONFIG", "a pod reaches the API server as its service account, not as the admin");
        env["KUBERNETES_SERVICE_HOST"].Should().Be("127.0.0.1");
        env["KUBERNETES_SERVICE_PORT"].Should().Be(cluster.Context.ApiServerUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        LocalPaths.Resolve("/var/run/secrets/kubernetes.io/serviceaccount/token", env.GetValueOrDefault).Should().Be("/pods/p/serviceaccount/token");
    }

    [Fact]
    public async Task A_missing_secret_is_a_config_error()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = ns }, Spec = new PodSpec() };
        var container = new Container
        {
            Name = "c",
            Env = [new EnvVar { Name = "X", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = "absent", Key = "k" } } }],
        };
        var error = await FluentActions.Awaiting(() => ContainerEnvironment.BuildAsync(cluster.Client, cluster.Context, pod, "127.1.0.1", container,
            new Dictionary<string, string>(), "/t", null, CancellationToken.None)).Should().ThrowAsync<PodSetupException>();
        error.Which.Reason.Should().Be("CreateContainerConfigError");
        error.Which.Message.Should().Be("secret \"absent\" not found");
    }
}
