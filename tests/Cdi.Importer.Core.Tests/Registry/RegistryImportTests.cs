using System.Text.Json.Nodes;
using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary>Container disks pulled from a real docker-registry, pushed there by skopeo.</summary>
public sealed class RegistryImportTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private RemoteSourceOptions Insecure => new(InsecureRegistries: [registry.Server.Host]);

    private static ImportRequest Request(string source, string target, VolumeMode mode = VolumeMode.Filesystem) =>
        new(source, target, 64L << 20, mode, FilesystemOverhead: 0m);

    [Theory]
    [InlineData("cirros", ImageFormat.Qcow2)]
    [InlineData("raw", ImageFormat.Raw)]
    [InlineData("plain", ImageFormat.Raw)]
    [InlineData("layered", ImageFormat.Raw)]
    [InlineData("shadowed", ImageFormat.Raw)]
    [InlineData("gzdisk", ImageFormat.Raw)]
    public async Task Imports_the_disk_under_disk_directory(string tag, ImageFormat format)
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request(registry.Image(tag), target.Path), Insecure);

        result.Format.Should().Be(format);
        result.VirtualSize.Should().Be(TestDisks.Size);
        TestImages.CompareWithReference(result.OutputPath, registry.Disks.RawPath, result.Capacity).Should().BeNull();
        result.SourceUsed.Should().Be(registry.Image(tag));
        target.Listing().Should().Equal("disk.img");
    }

    [Fact]
    public async Task Imports_qcow2_into_a_block_device()
    {
        using var dir = new TempDirectory();
        var device = dir.File("block.img");
        using (var f = File.Create(device))
        {
            f.SetLength(16L << 20);
        }
        var result = await RegistryHarness.RunAsync(Request(registry.Image("cirros"), device, VolumeMode.Block) with { ScratchDirectory = dir.Sub("scratch") }, Insecure);

        result.Format.Should().Be(ImageFormat.Qcow2);
        TestImages.CompareWithReference(device, registry.Disks.RawPath, 16L << 20).Should().BeNull();
    }

    [Fact]
    public async Task Multi_platform_index_picks_linux_amd64_unless_told()
    {
        using var amd = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request(registry.Image("multi"), amd.Path), Insecure);
        TestImages.CompareWithReference(result.OutputPath, registry.Disks.RawPath, result.Capacity).Should().BeNull();

        using var arm = new TempDirectory();
        var armResult = await RegistryHarness.RunAsync(Request(registry.Image("multi"), arm.Path), Insecure with { Platform = "arm64" });
        TestImages.CompareWithReference(armResult.OutputPath, registry.Disks.OtherRawPath, armResult.Capacity).Should().BeNull();

        using var none = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request(registry.Image("multi"), none.Path), Insecure with { Platform = "linux/s390x" });
        e.Reason.Should().Be(ImportFailureReason.SourceNotFound);
        e.Message.Should().Contain("no linux/s390x variant").And.Contain("linux/amd64").And.Contain("linux/arm64");
    }

    [Theory]
    [InlineData("nodisk", "holds no disk")]
    [InlineData("twodisks", "more than one disk file (disk/a.img and disk/b.img)")]
    [InlineData("symlink", "disk/x.img as a SymbolicLink")]
    public async Task Images_without_exactly_one_regular_disk_file_fail_and_leave_nothing(string tag, string message)
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request(registry.Image(tag), target.Path), Insecure);

        e.Reason.Should().Be(ImportFailureReason.ContainerDiskInvalid);
        e.Message.Should().Contain(message);
        target.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task Missing_image_and_missing_tag_name_the_registry()
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request($"docker://{registry.Server.Host}/disks/nothing:v1", target.Path), Insecure);
        e.Reason.Should().Be(ImportFailureReason.SourceNotFound);
        e.Message.Should().Contain($"registry {registry.Server.Host}").And.Contain("disks/nothing:v1");
    }

    [Fact]
    public async Task A_plain_http_registry_not_listed_as_insecure_is_refused()
    {
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request(registry.Image("raw"), target.Path), RemoteSourceOptions.None);

        // The TLS handshake with a plain-HTTP server fails: final (retrying cannot help), as on every source.
        e.Reason.Should().Be(ImportFailureReason.CertificateRejected);
        e.Message.Should().Contain(registry.Server.Host).And.Contain("insecure registry");
        target.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task A_pinned_digest_is_verified_and_a_malformed_one_refused()
    {
        var digest = ManifestDigest("raw");
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request($"docker://{registry.Server.Host}/disks/raw@{digest}", target.Path), Insecure);
        result.Format.Should().Be(ImageFormat.Raw);

        using var other = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request($"docker://{registry.Server.Host}/disks/raw@sha256:../../etc/passwd", other.Path), Insecure);
        e.Reason.Should().Be(ImportFailureReason.InvalidArgument);
        e.Message.Should().Contain("malformed digest");
    }

    [Fact]
    public async Task A_tampered_blob_fails_the_digest_check_and_nothing_is_committed()
    {
        // skopeo may recompress layers on push: take the layer digest from the registry's own manifest.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry.Server.Host}/v2/disks/tampered/manifests/v1");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await http.SendAsync(request);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var layer = manifest["layers"]![0]!["digest"]!.GetValue<string>();
        var path = registry.Server.BlobPath(layer);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request(registry.Image("tampered"), target.Path), Insecure);

        e.Reason.Should().Be(ImportFailureReason.DigestMismatch);
        e.Message.Should().Contain(layer).And.Contain("does not match its digest");
        target.Listing().Should().BeEmpty();
    }

    private string ManifestDigest(string tag)
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(registry.Layout.Root, "index.json")))!;
        return index["manifests"]!.AsArray()
            .First(m => m!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>() == tag)!["digest"]!.GetValue<string>();
    }

    [Fact]
    public async Task Registry_connections_pass_the_ssrf_guard_like_http_sources()
    {
        // As in an importer pod: private networks denied unless allowed. The registry listens on loopback.
        using var http = new HttpClient();
        var denied = new Cdi.Importer.Core.Network.HttpSourceOptions { AddressPolicy = Cdi.Importer.Core.Network.NetworkAddressPolicy.DenyPrivate([]) };
        var factory = new ImageSourceFactory(http, denied, TimeProvider.System, Insecure);
        var importer = new ImageImporter(factory, new Cdi.Importer.Core.Converters.QemuImg(), Cdi.Importer.Core.Compression.DecoderLimits.Default, TimeProvider.System);
        using var target = new TempDirectory();
        var act = () => importer.ImportAsync(Request(registry.Image("raw"), target.Path), new Cdi.Importer.Core.Progress.NullProgressSink(), CancellationToken.None);
        var e = (await act.Should().ThrowAsync<ImportException>()).Which;
        e.Reason.Should().Be(ImportFailureReason.NetworkAddressDenied);
        e.Message.Should().Contain("loopback");
        target.Listing().Should().BeEmpty();

        var allowed = denied with { AddressPolicy = Cdi.Importer.Core.Network.NetworkAddressPolicy.DenyPrivate([System.Net.IPNetwork.Parse("127.0.0.0/8")]) };
        using var ok = new TempDirectory();
        var result = await new ImageImporter(new ImageSourceFactory(http, allowed, TimeProvider.System, Insecure), new Cdi.Importer.Core.Converters.QemuImg(),
            Cdi.Importer.Core.Compression.DecoderLimits.Default, TimeProvider.System)
            .ImportAsync(Request(registry.Image("raw"), ok.Path), new Cdi.Importer.Core.Progress.NullProgressSink(), CancellationToken.None);
        result.VirtualSize.Should().Be(TestDisks.Size);
    }
}
