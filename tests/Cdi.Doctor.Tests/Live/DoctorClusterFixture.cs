using Cdi.Testing;

namespace Cdi.Doctor.Tests.Live;

/// <summary>One local cluster with the cdi controller, one nginx serving a small image and the registries, shared by the live doctor tests.</summary>
public sealed class DoctorClusterFixture : IDisposable
{
    public DoctorClusterFixture()
    {
        Images = new TempDirectory("cdi-doctor-images");
        TestImages.CreateRaw(Images.File("disk.raw"), 4L << 20);
        try
        {
            Server = new NginxServer(Images.Path);
            Registries = new DoctorRegistries(Images.File("disk.raw"));
            Cluster = new LocalCluster();
        }
        catch
        {
            // xUnit disposes no fixture whose constructor threw: stop what was started (a cluster that did not come up, say).
            Dispose();
            throw;
        }
    }

    public TempDirectory Images { get; }
    public NginxServer Server { get; }
    public DoctorRegistries Registries { get; }
    public LocalCluster Cluster { get; }

    /// <summary><c>./cdi doctor ARGS --kubeconfig …</c>, as a user runs it.</summary>
    public ProcessOutput Doctor(params string[] args) =>
        ProcessRunner.Run(RepoPaths.CdiScript, ["doctor", .. args, "--kubeconfig", Cluster.Kubeconfig], timeout: TimeSpan.FromMinutes(15));

    /// <summary>A remedy as the doctor printed it, run by a shell with this cluster's kubeconfig.</summary>
    public ProcessOutput RunRemedy(string command) =>
        ProcessRunner.Run("bash", ["-c", command], environment: new Dictionary<string, string> { ["KUBECONFIG"] = Cluster.Kubeconfig },
            timeout: TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        Cluster?.Dispose();
        Registries?.Dispose();
        Server?.Dispose();
        Images.Dispose();
    }
}
