using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Size = Cdi.Importer.Core.Sizing.VolumeSize;
using Cdi.Testing;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>Every supported format, from a local file and over HTTP (with and without Range), equals qemu-img's raw conversion.</summary>
public sealed class FormatConversionTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    private const long VolumeBytes = 40L << 20;

    public static TheoryData<string, string, string?> Formats => new()
    {
        { "raw", "raw", null },
        { "qcow2-v3", "qcow2", "compat=1.1" },
        { "qcow2-v2", "qcow2", "compat=0.10" },
        { "qcow2-512", "qcow2", "cluster_size=512" },
        { "qcow2-2m", "qcow2", "cluster_size=2M" },
        { "qcow2-l2ext", "qcow2", "extended_l2=on,cluster_size=128k" },
        { "vmdk-sparse", "vmdk", "subformat=monolithicSparse" },
        { "vmdk-stream", "vmdk", "subformat=streamOptimized" },
        { "vhd-dynamic", "vpc", "subformat=dynamic" },
        { "vhd-fixed", "vpc", "subformat=fixed,force_size=on" },
        { "vhdx", "vhdx", null },
        { "vdi-dynamic", "vdi", null },
        { "vdi-static", "vdi", "static=on" },
    };

    private string Make(string name, string driver, string? options) => corpus.Get($"{name}.img", path =>
    {
        if (driver == "raw")
        {
            File.Copy(corpus.BaseRaw, path);
        }
        else
        {
            TestImages.Convert(corpus.BaseRaw, path, driver, options);
        }
    });

    private string Reference(string name, string driver) => corpus.Get($"{name}.ref", path =>
        TestImages.Reference(corpus.PathOf($"{name}.img"), driver, path));

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Local_file_converts_like_qemu_img(string name, string driver, string? options)
    {
        var image = Make(name, driver, options);
        await AssertImportMatches(corpus.PathOf(image), name, driver);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Http_with_range_converts_like_qemu_img(string name, string driver, string? options)
    {
        var image = Make(name, driver, options);
        await AssertImportMatches(corpus.Server.RangeUrl(image), name, driver);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Http_without_range_converts_like_qemu_img(string name, string driver, string? options)
    {
        var image = Make(name, driver, options);
        await AssertImportMatches(corpus.Server.PlainUrl(image), name, driver);
    }

    [Fact]
    public async Task Iso_is_copied_as_raw()
    {
        var iso = corpus.Get("disk.iso", path =>
        {
            // An ISO 9660 primary volume descriptor at sector 16 is what makes it an ISO.
            TestImages.CreateRaw(path, 4L << 20, seed: 7);
            using var f = File.OpenWrite(path);
            f.Position = 0x8000;
            f.Write([1, .. "CD001"u8.ToArray(), 1]);
        });
        using var target = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.RangeUrl(iso), target.Path, VolumeBytes));
        result.Format.Should().Be(ImageFormat.Iso);
        TestImages.CompareWithReference(target.File("disk.img"), corpus.PathOf(iso), Size.Usable(VolumeBytes, 0.06m)).Should().BeNull();
    }

    private async Task AssertImportMatches(string source, string name, string driver)
    {
        var reference = corpus.PathOf(Reference(name, driver));
        using var target = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(source, target.Path, VolumeBytes));
        var usable = Size.Usable(VolumeBytes, Size.DefaultFilesystemOverhead);
        result.Capacity.Should().Be(usable);
        result.VirtualSize.Should().Be(new FileInfo(reference).Length);
        TestImages.CompareWithReference(target.File("disk.img"), reference, usable).Should().BeNull();
        target.Listing().Should().Equal("disk.img");
        // Sparse: the output allocates about what the image holds, not the volume size.
        TestImages.AllocatedBytes(target.File("disk.img")).Should().BeLessThan(4L << 20);
    }
}
