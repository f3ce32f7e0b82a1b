using Cdi.Testing;

namespace Cdi.Cli.Tests.Cloning;

/// <summary>One local cluster (with the controller) shared by the clone tests.</summary>
public sealed class CloneEnvironment : IDisposable
{
    public const long DiskSize = 32L << 20;

    public CloneEnvironment()
    {
        Images = new TempDirectory("cdi-clone-images");
        Raw = TestImages.CreateRaw(Images.File("disk.raw"), DiskSize, seed: 7);
        // A guest disk may start with any bytes: a gzip header here, which a clone must copy, never decompress.
        using (var disk = new FileStream(Raw, FileMode.Open, FileAccess.Write))
        {
            disk.Write([0x1f, 0x8b, 0x08, 0x00]);
        }
        Cluster = new LocalCluster();
    }

    public TempDirectory Images { get; }

    /// <summary>A raw guest disk the tests write into source volumes.</summary>
    public string Raw { get; }
    public LocalCluster Cluster { get; }

    public void Dispose()
    {
        Cluster.Dispose();
        Images.Dispose();
    }
}
