using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>Two more real registries: one behind htpasswd basic auth, one serving TLS with a private CA.</summary>
public sealed class SecureRegistryFixture : IDisposable
{
    public const string User = "cdi-user";
    public const string Password = "s3cret-Pa55";
    private readonly TempDirectory _dir = new("cdi-secure-registry");

    public SecureRegistryFixture()
    {
        Disks = new TestDisks();
        Certificates = new RegistryCertificates(_dir.Sub("tls"));
        Basic = new RegistryServer(new RegistryServerOptions(User, Password));
        Tls = new RegistryServer(new RegistryServerOptions(CertificatePath: Certificates.CertificatePath, KeyPath: Certificates.KeyPath));
        var layout = new OciLayoutBuilder(_dir.Sub("layout"));
        layout.Tag("raw", layout.ContainerDisk("disk.img", Disks.Raw, LayerCompression.Gzip));
        Skopeo.Push(layout.Root, "raw", $"docker://{Basic.Host}/private/disk:v1", credentials: $"{User}:{Password}");
        Skopeo.Push(layout.Root, "raw", $"docker://{Tls.Host}/tls/disk:v1");
        SecretDirectory = Secret(_dir.Sub("secret"), User, Password);
        WrongSecretDirectory = Secret(_dir.Sub("wrong-secret"), User, "not-the-password");
    }

    public TestDisks Disks { get; }

    public RegistryCertificates Certificates { get; }

    public RegistryServer Basic { get; }

    public RegistryServer Tls { get; }

    public string SecretDirectory { get; }

    public string WrongSecretDirectory { get; }

    public static string Secret(string directory, string accessKeyId, string secretKey)
    {
        File.WriteAllText(Path.Combine(directory, "accessKeyId"), accessKeyId);
        File.WriteAllText(Path.Combine(directory, "secretKey"), secretKey);
        return directory;
    }

    public void Dispose()
    {
        Basic.Dispose();
        Tls.Dispose();
        Disks.Dispose();
        _dir.Dispose();
    }
}
