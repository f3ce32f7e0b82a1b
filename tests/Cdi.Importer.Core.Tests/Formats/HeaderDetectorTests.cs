using System.Buffers.Binary;
using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Formats;

public sealed class HeaderDetectorTests
{
    [Fact]
    public void Empty_and_short_heads_are_raw()
    {
        HeaderDetector.Detect([]).Should().Be(ImageFormat.Raw);
        HeaderDetector.Detect("QF"u8).Should().Be(ImageFormat.Raw);
        HeaderDetector.Detect(new byte[0x8003]).Should().Be(ImageFormat.Raw);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Qcow2_versions_2_and_3_are_qcow2(uint version)
    {
        var head = new byte[512];
        "QFI"u8.CopyTo(head);
        head[3] = 0xFB;
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), version);

        HeaderDetector.Detect(head).Should().Be(ImageFormat.Qcow2);
    }

    [Fact]
    public void Qcow2_unknown_version_is_unsupported()
    {
        var head = new byte[512];
        "QFI"u8.CopyTo(head);
        head[3] = 0xFB;
        head[7] = 4;

        var act = () => HeaderDetector.Detect(head);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.UnsupportedFormat);
    }

    [Fact]
    public void Vdi_signature_at_0x40_is_vdi()
    {
        var head = new byte[512];
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(0x40), 0xBEDA107F);

        HeaderDetector.Detect(head).Should().Be(ImageFormat.Vdi);
    }

    [Fact]
    public void Vmdk_cowd_is_an_unsupported_subformat()
    {
        var act = () => HeaderDetector.Detect("COWD\u0001\0\0\0"u8);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.UnsupportedSubformat);
    }

    [Fact]
    public void Text_mentioning_version_later_is_raw()
    {
        HeaderDetector.Detect("hello\nversion=1\n"u8).Should().Be(ImageFormat.Raw);
    }

    [Fact]
    public void Plain_iso_is_iso_and_iso_with_vdi_signature_is_ambiguous()
    {
        byte[] iso = IsoImage.Build();
        HeaderDetector.Detect(iso.AsSpan(0, HeaderDetector.HeadBytes)).Should().Be(ImageFormat.Iso);

        BinaryPrimitives.WriteUInt32LittleEndian(iso.AsSpan(0x40), 0xBEDA107F);
        var act = () => HeaderDetector.Detect(iso.AsSpan(0, HeaderDetector.HeadBytes).ToArray());

        act.Should().Throw<ImportException>()
            .Where(e => e.Reason == ImportFailureReason.AmbiguousFormat)
            .WithMessage("image matches more than one format (vdi, iso)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1 << 20)]
    public void Iso_head_read_through_small_reads_is_iso(int chunk)
    {
        byte[] iso = IsoImage.Build(hybridMbr: true);
        using var stream = new ChunkedReadStream(new MemoryStream(iso), chunk);

        HeaderDetector.Detect(QemuImg.Head(stream, leaveOpen: true)).Should().Be(ImageFormat.Iso);
        ImageInspector.Inspect(stream, ImageFormat.Iso).VirtualSize.Should().Be(iso.Length);
    }
}
