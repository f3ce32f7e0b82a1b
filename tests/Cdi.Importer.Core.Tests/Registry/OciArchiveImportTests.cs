using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Sources;
using Cdi.Testing;
using Cdi.Testing.Registry;

namespace Cdi.Importer.Core.Tests.Registry;

/// <summary><c>oci-archive://</c>: a local OCI layout directory, or a tar of one (made by GNU tar).</summary>
public sealed class OciArchiveImportTests : IDisposable
{
    private readonly TempDirectory _ws = new("cdi-oci-archive");
    private readonly TestDisks _disks = new();
    private readonly OciLayoutBuilder _layout;
    private readonly string _tar;

    public OciArchiveImportTests()
    {
        _layout = new OciLayoutBuilder(_ws.Sub("layout"));
        _layout.Tag("v1", _layout.ContainerDisk("cirros.qcow2", _disks.Qcow2, LayerCompression.Zstd));
        _layout.Tag("multi", _layout.Index(
            _layout.ContainerDisk("arm.img", _disks.OtherRaw, LayerCompression.Gzip, "arm64"),
            _layout.ContainerDisk("amd.img", _disks.Raw, LayerCompression.Gzip, "amd64")));
        _tar = _ws.File("image.tar");
        ProcessRunner.Sh($"tar -C '{_layout.Root}' -cf '{_tar}' .");
    }

    public void Dispose()
    {
        _disks.Dispose();
        _ws.Dispose();
    }

    private static ImportRequest Request(string source, string target) => new(source, target, 64L << 20, FilesystemOverhead: 0m);

    [Fact]
    public async Task Imports_a_tagged_image_from_a_layout_directory()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request($"oci-archive://{_layout.Root}:v1", target.Path), RemoteSourceOptions.None);

        result.Format.Should().Be(ImageFormat.Qcow2);
        TestImages.CompareWithReference(result.OutputPath, _disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task Imports_from_a_tar_archive_and_picks_amd64_from_an_index()
    {
        using var target = new TempDirectory();
        var result = await RegistryHarness.RunAsync(Request($"oci-archive://{_tar}:multi", target.Path), RemoteSourceOptions.None);

        result.Format.Should().Be(ImageFormat.Raw);
        TestImages.CompareWithReference(result.OutputPath, _disks.RawPath, result.Capacity).Should().BeNull();
    }

    [Fact]
    public async Task Several_images_without_a_tag_or_an_unknown_tag_say_which_exist()
    {
        using var target = new TempDirectory();
        var none = await RegistryHarness.FailAsync(Request($"oci-archive://{_tar}", target.Path), RemoteSourceOptions.None);
        none.Reason.Should().Be(ImportFailureReason.InvalidArgument);
        none.Message.Should().Contain("v1, multi");

        var unknown = await RegistryHarness.FailAsync(Request($"oci-archive://{_tar}:v9", target.Path), RemoteSourceOptions.None);
        unknown.Reason.Should().Be(ImportFailureReason.SourceNotFound);
    }

    [Fact]
    public async Task A_tampered_blob_in_the_layout_fails_its_digest()
    {
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(_layout.Root, "blobs", "sha256")).Where(f => new FileInfo(f).Length > 100_000))
        {
            var bytes = File.ReadAllBytes(blob);
            bytes[bytes.Length / 2] ^= 0x33;
            File.WriteAllBytes(blob, bytes);
        }
        using var target = new TempDirectory();
        var e = await RegistryHarness.FailAsync(Request($"oci-archive://{_layout.Root}:v1", target.Path), RemoteSourceOptions.None);

        e.Reason.Should().Be(ImportFailureReason.DigestMismatch);
        target.Listing().Should().BeEmpty();
    }
}
