using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Doctor.Tests.Live;

/// <summary>
/// The real docker-registry twice, as the registry findings need them: one serving TLS with a private CA (untrusted
/// until its CA is given), one plain-HTTP behind htpasswd (refused over TLS until insecure-listed, then 401 without
/// credentials). Each holds one small container disk, pushed with skopeo.
/// </summary>
public sealed class DoctorRegistries : IDisposable
{
    public const string Image = "disks/raw:v1";
    private readonly TempDirectory _dir = new("cdi-doctor-registries");

    public DoctorRegistries(string disk)
    {
        Certificates = new RegistryCertificates(_dir.Sub("tls"));
        Tls = new RegistryServer(new RegistryServerOptions(CertificatePath: Certificates.CertificatePath, KeyPath: Certificates.KeyPath));
        Basic = new RegistryServer(new RegistryServerOptions("cdi-user", "s3cret-Pa55"));
        var layout = new OciLayoutBuilder(_dir.Sub("layout"));
        layout.Tag("raw", layout.ContainerDisk("disk.img", File.ReadAllBytes(disk), LayerCompression.Gzip));
        Skopeo.Push(layout.Root, "raw", $"docker://{Tls.Host}/{Image}");
        Skopeo.Push(layout.Root, "raw", $"docker://{Basic.Host}/{Image}", credentials: "cdi-user:s3cret-Pa55");
    }

    public RegistryCertificates Certificates { get; }

    public RegistryServer Tls { get; }

    public RegistryServer Basic { get; }

    /// <summary>The CA's PEM file, as a user hands it to <c>kubectl create configmap</c>.</summary>
    public string CaFile => Path.Combine(Certificates.CaDirectory, "tls.crt");

    public void Dispose()
    {
        Basic.Dispose();
        Tls.Dispose();
        _dir.Dispose();
    }
}
