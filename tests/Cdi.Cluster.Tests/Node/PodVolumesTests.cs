using Cdi.Cluster.Kubelet;
using Cdi.Kube.Models;
using Cdi.Kube.Rest;

namespace Cdi.Cluster.Tests.Node;

[Collection(NodeClusterCollection.Name)]
public sealed class PodVolumesTests(NodeClusterFixture cluster)
{
    [Fact]
    public async Task ConfigMap_and_secret_volumes_become_files_in_the_pod_folder()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(KubeResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "certs", Namespace = ns }, Data = new() { ["ca.pem"] = "CA", ["other"] = "x" },
        });
        await cluster.Client.CreateAsync(KubeResources.Secrets, new Secret
        {
            Metadata = new ObjectMeta { Name = "creds", Namespace = ns }, Data = new() { ["accessKeyId"] = "AK"u8.ToArray() },
        });
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = ns },
            Spec = new PodSpec
            {
                Volumes =
                [
                    new Volume { Name = "cert", ConfigMap = new ConfigMapVolumeSource { Name = "certs", Items = [new KeyToPath { Key = "ca.pem", Path = "tls/ca.crt" }] } },
                    new Volume { Name = "secret", Secret = new SecretVolumeSource { SecretName = "creds" } },
                    new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource() },
                ],
            },
        };
        var paths = await PodVolumes.PrepareAsync(cluster.Client, pod, new NodePaths(cluster.Directory), CancellationToken.None);

        var podDir = Path.Combine(cluster.Directory, "pods", ns, "p", "volumes");
        paths["cert"].Should().Be(Path.Combine(podDir, "cert"));
        File.ReadAllText(Path.Combine(paths["cert"], "tls", "ca.crt")).Should().Be("CA");
        File.Exists(Path.Combine(paths["cert"], "other")).Should().BeFalse("items select keys");
        File.ReadAllText(Path.Combine(paths["secret"], "accessKeyId")).Should().Be("AK");
        Directory.Exists(paths["tmp"]).Should().BeTrue();
    }
}
