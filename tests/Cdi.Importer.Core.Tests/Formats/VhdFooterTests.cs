using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Formats;

public sealed class VhdFooterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly QemuImg _qemu;

    public VhdFooterTests() => _qemu = new QemuImg(_dir);

    [Theory]
    [InlineData("10M", "")]
    [InlineData("12345678", "")]
    [InlineData("100M", "")]
    [InlineData("12345678", ",force_size=on")]
    public void Fixed_vhd_is_recognised_from_its_footer_with_qemu_img_size(string size, string extra)
    {
        string path = _qemu.Create("fixed.vhd", "vpc", size, "-o subformat=fixed" + extra);
        _qemu.Write("fixed.vhd", "vpc");
        long qemuSize = _qemu.Info("fixed.vhd", "vpc").VirtualSize;
        long length = new FileInfo(path).Length;

        HeaderDetector.Detect(QemuImg.Head(path)).Should().Be(ImageFormat.Raw);
        VhdFooter.TryParseFixed(QemuImg.ReadAt(path, length - 512, 512), length, out long virtualSize).Should().BeTrue();
        virtualSize.Should().Be(qemuSize);
    }

    [Fact]
    public void Dynamic_vhd_footer_is_not_a_fixed_vhd()
    {
        string path = _qemu.Create("dynamic.vhd", "vpc", "10M", "-o subformat=dynamic");
        long length = new FileInfo(path).Length;

        VhdFooter.TryParseFixed(QemuImg.ReadAt(path, length - 512, 512), length, out _).Should().BeFalse();
    }

    [Fact]
    public void Footer_with_a_bad_checksum_is_not_a_fixed_vhd()
    {
        string path = _qemu.Create("fixed.vhd", "vpc", "10M", "-o subformat=fixed");
        long length = new FileInfo(path).Length;
        byte[] footer = QemuImg.ReadAt(path, length - 512, 512);
        footer[100] ^= 1;

        VhdFooter.TryParseFixed(footer, length, out _).Should().BeFalse();
    }

    [Fact]
    public void Footer_claiming_more_data_than_precedes_it_is_corrupt()
    {
        string path = _qemu.Create("fixed.vhd", "vpc", "10M", "-o subformat=fixed");
        long length = new FileInfo(path).Length;
        byte[] footer = QemuImg.ReadAt(path, length - 512, 512);

        var act = () => VhdFooter.TryParseFixed(footer, 4096, out _);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Raw_tail_is_not_a_fixed_vhd()
    {
        var tail = TestData.DiskLike(512, seed: 7);

        VhdFooter.TryParseFixed(tail, 1 << 20, out long size).Should().BeFalse();
        VhdFooter.TryParseFixed(tail.AsSpan(0, 100), 1 << 20, out _).Should().BeFalse();
        size.Should().Be(0);
    }

    public void Dispose() => _dir.Dispose();
}
