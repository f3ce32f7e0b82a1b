using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Formats;

/// <summary>Every format qemu-img makes is detected as itself and inspected to the virtual size qemu-img reports.</summary>
public sealed class QemuImageInspectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly QemuImg _qemu;

    public QemuImageInspectionTests() => _qemu = new QemuImg(_dir);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in QemuImageCase.All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Created_image_is_detected_and_sized_like_qemu_img(string name)
    {
        var c = QemuImageCase.All.Single(x => x.Name == name);
        string path = _qemu.Create("image", c.QemuFormat, c.Size, c.Options);
        if (c.Writable)
        {
            _qemu.Write("image", c.QemuFormat);
        }

        AssertMatchesQemu(path, c.Expected);
    }

    [Fact]
    public void StreamOptimized_vmdk_converted_from_raw_data_is_accepted()
    {
        File.WriteAllBytes(_dir.File("data.raw"), TestData.DiskLike(3 * 1024 * 1024));
        _qemu.Run("qemu-img convert -f raw -O vmdk -o subformat=streamOptimized data.raw image");

        AssertMatchesQemu(_dir.File("image"), ImageFormat.Vmdk);
    }

    [Fact]
    public void Qcow2_with_compressed_clusters_is_accepted()
    {
        File.WriteAllBytes(_dir.File("data.raw"), TestData.DiskLike(2 * 1024 * 1024));
        _qemu.Run("qemu-img convert -c -f raw -O qcow2 -o compression_type=zstd data.raw image");

        AssertMatchesQemu(_dir.File("image"), ImageFormat.Qcow2);
    }

    [Fact]
    public void Qcow2_with_internal_snapshots_and_grown_size_is_accepted()
    {
        _qemu.Create("image", "qcow2", "1G");
        _qemu.Write("image", "qcow2");
        _qemu.Run("qemu-img snapshot -c first image && qemu-img resize -q image 10G && qemu-img snapshot -c second image");

        AssertMatchesQemu(_dir.File("image"), ImageFormat.Qcow2);
    }

    [Fact]
    public void Vmdk_with_a_vmware_style_descriptor_is_accepted()
    {
        string path = _qemu.Create("image", "vmdk", "64M");
        ImagePatcher.ReplaceVmdkDescriptor(path, _ => string.Join("\r\n",
            "# Disk DescriptorFile",
            "version=1",
            "encoding=\"UTF-8\"",
            "CID=7d3a5e01",
            "parentCID=ffffffff",
            "isNativeSnapshot=\"no\"",
            "createType=\"monolithicSparse\"",
            string.Empty,
            "# Extent description",
            "RW 131072 SPARSE \"disk-1.vmdk\"",
            string.Empty,
            "# The Disk Data Base ",
            "#DDB",
            string.Empty,
            "ddb.adapterType = \"lsilogic\"",
            "ddb.geometry.cylinders = \"130\"",
            "ddb.longContentID = \"5d3c5b1e2d8f0e7a6c4b3a297d3a5e01\"",
            "ddb.uuid = \"60 00 C2 9e 3b 1a 7f 22-0c 5d 11 48 91 aa 0b 3c\"",
            "ddb.uuid.image=\"0b6f4c2e-1a8b-4e43-9d33-6a4f0e5b7c21\"",
            "ddb.virtualHWVersion = \"14\"",
            string.Empty));

        AssertMatchesQemu(path, ImageFormat.Vmdk);
    }

    [Fact]
    public void Inspect_needs_a_seekable_stream()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();
        var act = () => ImageInspector.Inspect(pipe, ImageFormat.Raw);

        act.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1 << 20)]
    public void Detect_and_inspect_through_small_reads(int chunk)
    {
        foreach (var c in QemuImageCase.All.Where(x => x.Size.Length <= 4))
        {
            string path = _qemu.Create(c.Name, c.QemuFormat, c.Size, c.Options);
            long expected = _qemu.Info(c.Name, c.QemuFormat).VirtualSize;

            using var stream = new ChunkedReadStream(File.OpenRead(path), chunk);
            HeaderDetector.Detect(QemuImg.Head(stream, leaveOpen: true)).Should().Be(c.Expected, c.Name);
            ImageInspector.Inspect(stream, c.Expected).Should().Be(new ImageInfo(c.Expected, expected), c.Name);
        }
    }

    [Theory]
    [InlineData("qcow2", "1T", ImageFormat.Qcow2)]
    [InlineData("vmdk", "500G", ImageFormat.Vmdk)]
    [InlineData("vpc", "2000G", ImageFormat.Vhd)]
    [InlineData("vhdx", "10T", ImageFormat.Vhdx)]
    [InlineData("vdi", "500G", ImageFormat.Vdi)]
    public void Inspecting_a_huge_image_allocates_little(string qemuFormat, string size, ImageFormat format)
    {
        string path = _qemu.Create("huge", qemuFormat, size);
        long expected = _qemu.Info("huge", qemuFormat).VirtualSize;
        using var stream = File.OpenRead(path);
        ImageInspector.Inspect(stream, format);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var info = ImageInspector.Inspect(stream, format);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        info.VirtualSize.Should().Be(expected);
        allocated.Should().BeLessThan(8L * 1024 * 1024);
    }

    public void Dispose() => _dir.Dispose();

    private void AssertMatchesQemu(string path, ImageFormat expected)
    {
        var (qemuFormat, virtualSize) = _qemu.Info(System.IO.Path.GetFileName(path));
        qemuFormat.Should().Be(expected.QemuDriver());

        HeaderDetector.Detect(QemuImg.Head(path)).Should().Be(expected);
        using var stream = File.OpenRead(path);
        ImageInspector.Inspect(stream, expected).Should().Be(new ImageInfo(expected, virtualSize));
    }
}
