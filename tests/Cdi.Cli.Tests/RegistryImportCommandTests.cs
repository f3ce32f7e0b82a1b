using Cdi.Testing;
using Cdi.Testing.Registry;
using Cdi.Testing.S3;

namespace Cdi.Cli.Tests;

/// <summary><c>cdi import</c> from a real docker-registry and a real s3rver, end to end through <c>./cdi</c>.</summary>
public sealed class RegistryImportCommandTests : IDisposable
{
    private readonly TempDirectory _ws = new();
    private readonly RegistryServer _registry = new();
    private readonly string _raw;

    public RegistryImportCommandTests()
    {
        _raw = TestImages.CreateRaw(_ws.File("disk.raw"), 8L << 20);
        var qcow2 = TestImages.Convert(_raw, _ws.File("disk.qcow2"), "qcow2");
        var layout = new OciLayoutBuilder(_ws.Sub("layout"));
        layout.Tag("v1", layout.ContainerDisk("cirros.qcow2", File.ReadAllBytes(qcow2)));
        Skopeo.Push(layout.Root, "v1", $"docker://{_registry.Host}/disks/cirros:v1");
    }

    public void Dispose()
    {
        _registry.Dispose();
        _ws.Dispose();
    }

    [Fact]
    public void Imports_a_container_disk_from_an_insecure_registry()
    {
        var o = CdiCli.Run("import", "--source", $"docker://{_registry.Host}/disks/cirros:v1", "--insecure-registry", _registry.Host,
            "--target", _ws.File("vol"), "--size", "1Gi", "--progress", "none");

        o.ExitCode.Should().Be(0, o.Stderr);
        o.Stdout.Should().Contain("imported qcow2").And.Contain($"from docker://{_registry.Host}/disks/cirros:v1");
        var disk = _ws.File("vol/disk.img");
        TestImages.CompareWithReference(disk, _raw, new FileInfo(disk).Length).Should().BeNull();
    }

    [Fact]
    public void A_registry_not_listed_as_insecure_fails_with_one_error_line()
    {
        var o = CdiCli.Run("import", "--source", $"docker://{_registry.Host}/disks/cirros:v1", "--target", _ws.File("vol"), "--size", "1Gi", "--progress", "none");

        o.ExitCode.Should().Be(11, "a TLS failure is CertificateRejected on every source");
        var errors = CdiCli.ErrorLines(o).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        errors.Should().ContainSingle().Which.Should().Contain(_registry.Host).And.Contain("insecure registry");
        File.Exists(_ws.File("vol/disk.img")).Should().BeFalse();
    }

    [Fact]
    public void A_missing_tag_exits_with_not_found()
    {
        var o = CdiCli.Run("import", "--source", $"docker://{_registry.Host}/disks/cirros:v2", "--insecure-registry", _registry.Host,
            "--target", _ws.File("vol"), "--size", "1Gi", "--progress", "none");

        o.ExitCode.Should().Be(3, o.Stderr);
        o.Stderr.Should().Contain("not found in registry");
    }

    [Fact]
    public void A_malformed_mirror_is_an_invalid_argument()
    {
        var o = CdiCli.Run("import", "--source", $"docker://{_registry.Host}/disks/cirros:v1", "--registry-mirror", "no-equals-sign",
            "--target", _ws.File("vol"), "--size", "1Gi", "--progress", "none");

        o.ExitCode.Should().Be(2, o.Stderr);
        o.Stderr.Should().Contain("invalid registry mirror");
    }

    [Fact]
    public async Task Imports_an_s3_object_with_the_secret_dir()
    {
        using var s3 = new S3rverServer("disks");
        using (var http = new HttpClient())
        {
            // s3rver accepts anonymous writes; the import below is signed.
            using var put = await http.PutAsync($"{s3.Endpoint}/disks/images/disk.raw", new ByteArrayContent(await File.ReadAllBytesAsync(_raw)));
            put.IsSuccessStatusCode.Should().BeTrue();
        }
        var secret = _ws.Sub("secret");
        File.WriteAllText(Path.Combine(secret, "accessKeyId"), S3rverServer.AccessKey);
        File.WriteAllText(Path.Combine(secret, "secretKey"), S3rverServer.SecretKey);

        var o = CdiCli.Run("import", "--source", "s3://disks/images/disk.raw", "--s3-endpoint", s3.Endpoint, "--secret-dir", secret,
            "--target", _ws.File("s3vol"), "--size", "1Gi", "--progress", "none");

        o.ExitCode.Should().Be(0, o.Stderr);
        o.Stdout.Should().Contain("imported raw");
        var disk = _ws.File("s3vol/disk.img");
        TestImages.CompareWithReference(disk, _raw, new FileInfo(disk).Length).Should().BeNull();
    }
}
