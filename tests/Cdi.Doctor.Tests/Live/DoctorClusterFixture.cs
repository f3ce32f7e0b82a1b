using Cdi.Testing;

namespace Cdi.Doctor.Tests.Live;

/// <summary>One local cluster with the cdi controller and one nginx serving a small image, shared by the live doctor tests.</summary>
public sealed class DoctorClusterFixture : IDisposable
{
    public DoctorClusterFixture()
    {
        Images = new TempDirectory("cdi-doctor-images");
        TestImages.CreateRaw(Images.File("disk.raw"), 4L << 20);
        Server = new NginxServer(Images.Path);
        Cluster = new LocalCluster();
    }

    public TempDirectory Images { get; }
    public NginxServer Server { get; }
    public LocalCluster Cluster { get; }

    /// <summary><c>./cdi doctor ARGS --kubeconfig …</c>, as a user runs it.</summary>
    public ProcessOutput Doctor(params string[] args) =>
        ProcessRunner.Run(RepoPaths.CdiScript, ["doctor", .. args, "--kubeconfig", Cluster.Kubeconfig], timeout: TimeSpan.FromMinutes(15));

    public void Dispose()
    {
        Cluster.Dispose();
        Server.Dispose();
        Images.Dispose();
    }
}
