using Cdi.Testing;

namespace Cdi.Cli.Tests.DataVolumes;

/// <summary>One local cluster (with the cdi controller) and one nginx with the test images, shared by a test class.</summary>
public sealed class DataVolumeEnvironment : IDisposable
{
    public const long DiskSize = 32L << 20;

    public DataVolumeEnvironment()
    {
        Images = new TempDirectory("cdi-dv-images");
        Raw = TestImages.CreateRaw(Images.File("disk.raw"), DiskSize);
        TestImages.Convert(Raw, Images.File("disk.qcow2"), "qcow2", "compat=1.1");
        ProcessRunner.Sh($"xz -T2 --block-size=4MiB -c '{Raw}' > '{Images.File("disk.raw.xz")}'");
        ProcessRunner.Sh($"mkdir -p '{Images.File("tree")}/etc' && echo hello > '{Images.File("tree")}/etc/motd' && tar -C '{Images.File("tree")}' -czf '{Images.File("files.tar.gz")}' etc");
        // 48 MiB of incompressible data at 2 MiB/s: an import long enough to watch and to interrupt.
        ProcessRunner.Sh($"head -c 48M /dev/urandom > '{Images.File("slow.raw")}'");
        Server = new NginxServer(Images.Path);
        Cluster = new LocalCluster();
    }

    public TempDirectory Images { get; }
    public string Raw { get; }
    public NginxServer Server { get; }
    public LocalCluster Cluster { get; }

    public void Dispose()
    {
        Cluster.Dispose();
        Server.Dispose();
        Images.Dispose();
    }
}
