using System.Buffers.Binary;
using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Tests.TestSupport;

namespace Cdi.Importer.Core.Tests.Formats;

/// <summary>The malicious and unsupported images of safety.md §1, made with qemu-img or patched by hand; each must be refused.</summary>
public sealed class ImageRejectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly QemuImg _qemu;

    public ImageRejectionTests() => _qemu = new QemuImg(_dir);

    [Fact]
    public void Qcow2_with_backing_file()
    {
        _qemu.Create("base.qcow2", "qcow2", "10M");
        string path = _qemu.Create("child.qcow2", "qcow2", "10M", "-b base.qcow2 -F qcow2");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message == "qcow2 backing file is not allowed");
    }

    [Fact]
    public void Qcow2_with_json_backing_file()
    {
        string path = _qemu.Create("child.qcow2", "qcow2", "10M", "-u -b 'json:{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"/etc/passwd\"}}' -F raw");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message == "qcow2 backing file is not allowed");
    }

    [Fact]
    public void Qcow2_backing_format_extension_alone()
    {
        _qemu.Create("base.qcow2", "qcow2", "10M");
        string path = _qemu.Create("child.qcow2", "qcow2", "10M", "-b base.qcow2 -F qcow2");
        // Clear the backing file offset and size; the backing-format header extension remains.
        QemuImg.Patch(path, 8, new byte[12]);

        Reject(path).Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
    }

    [Fact]
    public void Qcow2_with_external_data_file()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M", "-o data_file=data.raw");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.DataFileNotAllowed && e.Message == "qcow2 external data file is not allowed");
    }

    [Fact]
    public void Qcow2_data_file_name_extension_without_the_feature_bit()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M", "-o data_file=data.raw");
        byte[] incompatible = QemuImg.ReadAt(path, 72, 8);
        incompatible[7] &= unchecked((byte)~0x04);
        QemuImg.Patch(path, 72, incompatible);

        Reject(path).Reason.Should().Be(ImportFailureReason.DataFileNotAllowed);
    }

    [Fact]
    public void Qcow2_with_unknown_incompatible_feature_bit()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        byte[] incompatible = QemuImg.ReadAt(path, 72, 8);
        incompatible[7] |= 0x20;
        incompatible[0] |= 0x80;
        QemuImg.Patch(path, 72, incompatible);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.UnknownFeature && e.Message == "qcow2 unknown incompatible feature bits 0x8000000000000020");
    }

    [Fact]
    public void Qcow2_marked_corrupt()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        QemuImg.Patch(path, 79, 0x02);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Qcow2_luks_crypt_method_patched_in()
    {
        // qemu-img can make LUKS-encrypted qcow2, but benchmarks PBKDF for seconds doing so; the header field is what matters.
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        QemuImg.Patch(path, 32, 0, 0, 0, 2);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.Encrypted && e.Message == "qcow2 encryption is not allowed (crypt_method 2)");
    }

    [Fact]
    public void Qcow2_encryption_header_extension_alone()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        byte[] extension = new byte[40];
        BinaryPrimitives.WriteUInt32BigEndian(extension, 0x0537BE77);
        BinaryPrimitives.WriteUInt32BigEndian(extension.AsSpan(4), 16);
        QemuImg.Patch(path, 112, extension);

        Reject(path).Reason.Should().Be(ImportFailureReason.Encrypted);
    }

    [Fact]
    public void Qcow2_header_extension_running_past_the_cluster()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        QemuImg.Patch(path, 112, 0x12, 0x34, 0x56, 0x78, 0x00, 0x10, 0x00, 0x00);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Qcow2_aes_crypt_method_patched_in()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M", "-o compat=0.10");
        QemuImg.Patch(path, 32, 0, 0, 0, 1);

        Reject(path).Reason.Should().Be(ImportFailureReason.Encrypted);
    }

    [Fact]
    public void Qcow2_l1_table_larger_than_the_virtual_size_needs()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        QemuImg.Patch(path, 36, 0x00, 0x40, 0x00, 0x00);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Qcow2_cluster_bits_out_of_range()
    {
        string path = _qemu.Create("image.qcow2", "qcow2", "10M");
        QemuImg.Patch(path, 20, 0, 0, 0, 30);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Qcow_version_1()
    {
        string path = _qemu.Create("image.qcow", "qcow", "10M");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.UnsupportedFormat && e.Message == "qcow version 1 images are not allowed");
    }

    [Fact]
    public void Qed()
    {
        string path = _qemu.Create("image.qed", "qed", "10M");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.UnsupportedFormat && e.Message == "QED images are not allowed");
    }

    [Fact]
    public void Luks()
    {
        // qemu-img's LUKS creation benchmarks PBKDF for seconds; the phdr magic and version are all detection looks at.
        string path = _dir.File("image.luks");
        byte[] luks = new byte[1024 * 1024];
        "LUKS"u8.CopyTo(luks);
        luks[4] = 0xBA;
        luks[5] = 0xBE;
        luks[7] = 1;
        "aes"u8.CopyTo(luks.AsSpan(8));
        File.WriteAllBytes(path, luks);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.Encrypted && e.Message == "LUKS encrypted images are not allowed");
    }

    [Fact]
    public void Vmdk_monolithic_flat_descriptor()
    {
        string path = _qemu.Create("image.vmdk", "vmdk", "10M", "-o subformat=monolithicFlat");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.ExternalReference
            && e.Message == "vmdk descriptor files that name other files are not allowed");
    }

    [Fact]
    public void Vmdk_two_gb_max_extent_sparse_descriptor_and_its_extent()
    {
        string path = _qemu.Create("image.vmdk", "vmdk", "10M", "-o subformat=twoGbMaxExtentSparse");

        Reject(path).Reason.Should().Be(ImportFailureReason.ExternalReference);
        // The extent file alone is a sparse header without an embedded descriptor.
        Reject(_dir.File("image-s001.vmdk")).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Theory]
    [InlineData("# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\nRW 20480 FLAT \"/etc/shadow\" 0\n")]
    [InlineData("version=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"vmfs\"\nRW 20480 VMFS \"/dev/sda\"\n")]
    [InlineData("# comment first\n  version=2\r\ncreateType=\"monolithicFlat\"\r\n")]
    public void Vmdk_text_descriptor(string text)
    {
        File.WriteAllText(_dir.File("desc.vmdk"), text);

        Reject(_dir.File("desc.vmdk")).Reason.Should().Be(ImportFailureReason.ExternalReference);
    }

    [Fact]
    public void Vmdk_with_parent()
    {
        _qemu.Create("base.vmdk", "vmdk", "10M");
        string path = _qemu.Create("child.vmdk", "vmdk", "10M", "-b base.vmdk -F vmdk");

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message == "vmdk parent (backing) file is not allowed");
    }

    [Theory]
    [InlineData("createType=\"monolithicSparse\"", "createType=\"monolithicFlat\"", ImportFailureReason.UnsupportedSubformat)]
    [InlineData("createType=\"monolithicSparse\"", "createType=\"twoGbMaxExtentSparse\"", ImportFailureReason.UnsupportedSubformat)]
    [InlineData("SPARSE \"image.vmdk\"", "SPARSE \"/etc/passwd\"", ImportFailureReason.ExternalReference)]
    [InlineData("SPARSE \"image.vmdk\"", "FLAT \"image-flat.vmdk\" 0", ImportFailureReason.ExternalReference)]
    [InlineData("SPARSE \"image.vmdk\"", "SPARSE \"image.vmdk\"\nRW 20480 SPARSE \"other.vmdk\"", ImportFailureReason.ExternalReference)]
    [InlineData("parentCID=ffffffff", "parentCID=12345678", ImportFailureReason.BackingFileNotAllowed)]
    [InlineData("parentCID=ffffffff", "parentCID=ffffffff\nparentFileNameHint=\"json:{}\"", ImportFailureReason.BackingFileNotAllowed)]
    [InlineData("parentCID=ffffffff", "parentCID=ffffffff\nsomethingNew=1", ImportFailureReason.CorruptImage)]
    [InlineData("parentCID=ffffffff", "parentCID=ffffffff\nthis line means nothing", ImportFailureReason.CorruptImage)]
    [InlineData("RW 20480 SPARSE", "RW 20000 SPARSE", ImportFailureReason.CorruptImage)]
    public void Vmdk_embedded_descriptor_edits(string find, string replace, ImportFailureReason reason)
    {
        string path = _qemu.Create("image.vmdk", "vmdk", "10M", "-o subformat=monolithicSparse");
        ImagePatcher.ReplaceVmdkDescriptor(path, text => text.Contains(find, StringComparison.Ordinal) ? text.Replace(find, replace, StringComparison.Ordinal) : throw new InvalidOperationException(text));

        var rejection = Reject(path);

        rejection.Reason.Should().Be(reason);
        rejection.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Vmdk_with_zero_capacity_defers_to_descriptor_extents()
    {
        string path = _qemu.Create("image.vmdk", "vmdk", "10M");
        QemuImg.Patch(path, 12, new byte[8]);

        Reject(path).Reason.Should().Be(ImportFailureReason.ExternalReference);
    }

    [Fact]
    public void Vmdk_descriptor_not_at_sector_1()
    {
        string path = _qemu.Create("image.vmdk", "vmdk", "10M");
        QemuImg.Patch(path, 28, 2);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vmdk_stream_optimized_with_grain_directory_at_end_and_a_valid_footer_is_accepted()
    {
        string path = StreamOptimizedWithFooter();

        _qemu.Info("image.vmdk").VirtualSize.Should().Be(1024 * 1024, "qemu must accept the crafted footer too");
        HeaderDetector.Detect(QemuImg.Head(path)).Should().Be(ImageFormat.Vmdk);
        using var stream = File.OpenRead(path);
        ImageInspector.Inspect(stream, ImageFormat.Vmdk).VirtualSize.Should().Be(1024 * 1024);
    }

    [Fact]
    public void Vmdk_stream_optimized_with_a_broken_end_of_stream_marker()
    {
        string path = StreamOptimizedWithFooter();
        QemuImg.Patch(path, new FileInfo(path).Length - 512 + 12, 7);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vmdk_stream_optimized_footer_that_disagrees_with_the_header()
    {
        string path = StreamOptimizedWithFooter();
        QemuImg.Patch(path, new FileInfo(path).Length - 1024 + 12, 0xFF, 0xFF, 0xFF);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vmdk_stream_optimized_footer_that_points_to_another_footer()
    {
        string path = StreamOptimizedWithFooter();
        QemuImg.Patch(path, new FileInfo(path).Length - 1024 + 56, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vmdk_stream_optimized_with_grain_directory_at_end_but_no_footer()
    {
        File.WriteAllBytes(_dir.File("data.raw"), TestData.DiskLike(1024 * 1024));
        _qemu.Run("qemu-img convert -f raw -O vmdk -o subformat=streamOptimized data.raw image.vmdk");
        string path = _dir.File("image.vmdk");
        QemuImg.Patch(path, 56, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vhd_differencing()
    {
        string path = _qemu.Create("image.vhd", "vpc", "10M");
        QemuImg.Patch(path, 60, 0, 0, 0, 4);
        ImagePatcher.FixVhdChecksum(path, 0, 512, 64);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message.Contains("vhd differencing"));
    }

    [Fact]
    public void Vhd_with_parent_locator_in_a_dynamic_header()
    {
        string path = _qemu.Create("image.vhd", "vpc", "10M");
        QemuImg.Patch(path, 512 + 576, (byte)'W', (byte)'2', (byte)'k', (byte)'u');
        ImagePatcher.FixVhdChecksum(path, 512, 1024, 36);

        Reject(path).Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
    }

    [Fact]
    public void Vhd_with_a_bad_footer_checksum()
    {
        string path = _qemu.Create("image.vhd", "vpc", "10M");
        QemuImg.Patch(path, 64, 0, 0, 0, 0);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vhd_with_an_oversized_block_table()
    {
        string path = _qemu.Create("image.vhd", "vpc", "10M");
        QemuImg.Patch(path, 512 + 28, 0x10, 0, 0, 0);
        ImagePatcher.FixVhdChecksum(path, 512, 1024, 36);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vhdx_with_has_parent_flag()
    {
        string path = _qemu.Create("image.vhdx", "vhdx", "10M");
        long fileParameters = ImagePatcher.VhdxMetadataItemOffset(path, new Guid("CAA16737-FA36-4D43-B3B6-33F0AA44E76B"));
        byte[] flags = QemuImg.ReadAt(path, fileParameters + 4, 4);
        flags[0] |= 0x02;
        QemuImg.Patch(path, fileParameters + 4, flags);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message.Contains("vhdx"));
    }

    [Fact]
    public void Vhdx_with_parent_locator_item()
    {
        string path = _qemu.Create("image.vhdx", "vhdx", "10M");
        // Retag the page 83 item as a parent locator: metadata items carry no checksum.
        byte[] regions = QemuImg.ReadAt(path, 192 * 1024, 64 * 1024);
        long metadata = FindMetadataTable(regions);
        byte[] table = QemuImg.ReadAt(path, metadata, 64 * 1024);
        var page83Id = new Guid("BECA12AB-B2E6-4523-93EF-C309E000C746").ToByteArray();
        int entry = table.AsSpan().IndexOf(page83Id);
        QemuImg.Patch(path, metadata + entry, new Guid("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C").ToByteArray());

        Reject(path).Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
    }

    [Fact]
    public void Vhdx_with_broken_headers()
    {
        string path = _qemu.Create("image.vhdx", "vhdx", "10M");
        QemuImg.Patch(path, (64 * 1024) + 100, 0xAA);
        QemuImg.Patch(path, (128 * 1024) + 100, 0xAA);

        Reject(path).Reason.Should().Be(ImportFailureReason.CorruptImage);
    }

    [Fact]
    public void Vhdx_with_one_broken_header_uses_the_other()
    {
        string path = _qemu.Create("image.vhdx", "vhdx", "10M");
        QemuImg.Patch(path, (64 * 1024) + 100, 0xAA);

        using var stream = File.OpenRead(path);
        ImageInspector.Inspect(stream, ImageFormat.Vhdx).VirtualSize.Should().Be(10 * 1024 * 1024);
    }

    [Fact]
    public void Vdi_differencing()
    {
        string path = _qemu.Create("image.vdi", "vdi", "10M");
        QemuImg.Patch(path, 0x4C, 4);

        Reject(path).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.BackingFileNotAllowed && e.Message.StartsWith("vdi"));
    }

    [Fact]
    public void Vdi_undo()
    {
        string path = _qemu.Create("image.vdi", "vdi", "10M");
        QemuImg.Patch(path, 0x4C, 3);

        Reject(path).Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
    }

    [Fact]
    public void Vdi_with_parent_uuid()
    {
        string path = _qemu.Create("image.vdi", "vdi", "10M");
        QemuImg.Patch(path, 0x1B8, 1, 2, 3, 4);

        Reject(path).Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
    }

    [Fact]
    public void Qcow2_header_planted_in_an_iso_system_area_is_ambiguous()
    {
        string qcow2 = _qemu.Create("image.qcow2", "qcow2", "10M");
        byte[] iso = IsoImage.Build();
        QemuImg.ReadAt(qcow2, 0, 512).CopyTo(iso, 0);
        File.WriteAllBytes(_dir.File("bad.iso"), iso);

        Reject(_dir.File("bad.iso")).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.AmbiguousFormat
            && e.Message == "image matches more than one format (qcow2, iso)");
    }

    [Theory]
    [InlineData("vmdk", "vmdk")]
    [InlineData("vpc", "vhd")]
    [InlineData("vdi", "vdi")]
    [InlineData("vhdx", "vhdx")]
    public void Other_headers_planted_in_an_iso_are_ambiguous(string qemuFormat, string name)
    {
        string image = _qemu.Create("image", qemuFormat, "10M");
        byte[] iso = IsoImage.Build();
        QemuImg.ReadAt(image, 0, 1024).CopyTo(iso, 0);
        File.WriteAllBytes(_dir.File("bad.iso"), iso);

        Reject(_dir.File("bad.iso")).Should().Match<ImportException>(e => e.Reason == ImportFailureReason.AmbiguousFormat && e.Message.Contains(name + ", iso"));
    }

    [Fact]
    public void Hybrid_iso_with_an_mbr_is_accepted_as_iso()
    {
        byte[] iso = IsoImage.Build(hybridMbr: true);
        File.WriteAllBytes(_dir.File("hybrid.iso"), iso);

        HeaderDetector.Detect(iso.AsSpan(0, HeaderDetector.HeadBytes)).Should().Be(ImageFormat.Iso);
        using var stream = File.OpenRead(_dir.File("hybrid.iso"));
        ImageInspector.Inspect(stream, ImageFormat.Iso).Should().Be(new ImageInfo(ImageFormat.Iso, iso.Length));
    }

    [Fact]
    public void Raw_data_is_raw_and_sized_by_length()
    {
        byte[] raw = TestData.DiskLike(300_000);
        HeaderDetector.Detect(raw).Should().Be(ImageFormat.Raw);
        ImageInspector.Inspect(new MemoryStream(raw), ImageFormat.Raw).Should().Be(new ImageInfo(ImageFormat.Raw, 300_000));
    }

    [Theory]
    [InlineData(ImageFormat.Qcow2)]
    [InlineData(ImageFormat.Vmdk)]
    [InlineData(ImageFormat.Vhd)]
    [InlineData(ImageFormat.Vhdx)]
    [InlineData(ImageFormat.Vdi)]
    [InlineData(ImageFormat.Iso)]
    public void Inspecting_content_of_another_format_is_corrupt(ImageFormat format)
    {
        var act = () => ImageInspector.Inspect(new MemoryStream(TestData.DiskLike(1024 * 1024)), format);

        act.Should().Throw<ImportException>().Where(e => e.Reason == ImportFailureReason.CorruptImage);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// qemu-img writes streamOptimized files with the grain directory offset in the header; VMware tools write GD_AT_END and a
    /// footer instead. Rebuild qemu's output in that shape: header says GD_AT_END, the original header follows as the footer.
    /// </summary>
    private string StreamOptimizedWithFooter()
    {
        File.WriteAllBytes(_dir.File("data.raw"), TestData.DiskLike(1024 * 1024));
        _qemu.Run("qemu-img convert -f raw -O vmdk -o subformat=streamOptimized data.raw image.vmdk");
        string path = _dir.File("image.vmdk");
        byte[] header = QemuImg.ReadAt(path, 0, 512);
        byte[] marker = new byte[512];
        BinaryPrimitives.WriteUInt64LittleEndian(marker, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(marker.AsSpan(12), 3);
        long length = new FileInfo(path).Length;
        QemuImg.Patch(path, length, [.. marker, .. header, .. new byte[512]]);
        QemuImg.Patch(path, 56, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        return path;
    }

    private static long FindMetadataTable(byte[] regions)
    {
        var id = new Guid("8B7CA206-4790-4B9A-B8FE-575F050F886E").ToByteArray();
        int entry = regions.AsSpan().IndexOf(id);
        return (long)BinaryPrimitives.ReadUInt64LittleEndian(regions.AsSpan(entry + 16));
    }

    /// <summary>Runs detection and, when it passes, inspection; returns the rejection (the test fails if there is none).</summary>
    private static ImportException Reject(string path)
    {
        try
        {
            var format = HeaderDetector.Detect(QemuImg.Head(path));
            using var stream = File.OpenRead(path);
            var info = ImageInspector.Inspect(stream, format);
            throw new Xunit.Sdk.XunitException($"{path} was accepted as {info}");
        }
        catch (ImportException e)
        {
            e.Message.Should().NotContain("\n");
            return e;
        }
    }
}
