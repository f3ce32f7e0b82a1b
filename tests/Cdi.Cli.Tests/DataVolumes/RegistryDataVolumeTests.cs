using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>
/// Seed 001's registry import on the local cluster: a container disk in a plain-HTTP registry made insecure through the
/// legacy <c>cdi-insecure-registries</c> ConfigMap, imported by a DataVolume with <c>source.registry</c>.
/// </summary>
public sealed class RegistryDataVolumeTests : IDisposable
{
    private const long DiskSize = 16L << 20;
    private readonly TempDirectory _ws = new("cdi-dv-registry");
    private readonly RegistryServer _registry = new();
    private readonly LocalCluster _cluster;
    private readonly string _raw;

    public RegistryDataVolumeTests()
    {
        _raw = TestImages.CreateRaw(_ws.File("disk.raw"), DiskSize);
        var qcow2 = TestImages.Convert(_raw, _ws.File("disk.qcow2"), "qcow2");
        var layout = new OciLayoutBuilder(_ws.Sub("layout"));
        layout.Tag("v1", layout.ContainerDisk("cirros.qcow2", File.ReadAllBytes(qcow2)));
        Skopeo.Push(layout.Root, "v1", $"docker://{_registry.Host}/disks/cirros:v1");
        _cluster = new LocalCluster();
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _registry.Dispose();
        _ws.Dispose();
    }

    [Fact]
    public void Registry_dv_succeeds_with_the_disk_bytes()
    {
        // Seed 001's instructions as written: the controller keeps an empty cdi-insecure-registries in namespace cdi to patch.
        _cluster.Kubectl("create", "namespace", "cdi");
        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "configmap", "cdi-insecure-registries", "-n", "cdi").ExitCode == 0, TimeSpan.FromMinutes(1),
            () => "the controller creates the legacy ConfigMap once namespace cdi exists");
        _cluster.Ok("patch", "configmap", "cdi-insecure-registries", "-n", "cdi", "--type", "merge", "-p", $$$"""{"data":{"mykey":"{{{_registry.Host}}}"}}""");
        var ns = _cluster.NewNamespace();
        _cluster.Apply($$"""
            apiVersion: cdi.kubevirt.io/v1beta1
            kind: DataVolume
            metadata:
              name: registry-image-datavolume
            spec:
              source:
                registry:
                  url: "docker://{{_registry.Host}}/disks/cirros:v1"
              storage:
                resources:
                  requests:
                    storage: 64Mi
            """, ns);

        LocalCluster.WaitUntil(() => _cluster.Kubectl("get", "dv", "registry-image-datavolume", "-n", ns, "-o", "jsonpath={.status.phase}").Stdout == "Succeeded",
            TimeSpan.FromMinutes(4), () => _cluster.Kubectl("describe", "dv", "registry-image-datavolume", "-n", ns).Stdout);
        var disk = Path.Combine(_cluster.VolumePath(ns, "registry-image-datavolume"), "disk.img");
        ProcessRunner.Sh($"cmp -n {DiskSize} '{disk}' '{_raw}' && echo same").Trim().Should().Be("same");
    }
}
