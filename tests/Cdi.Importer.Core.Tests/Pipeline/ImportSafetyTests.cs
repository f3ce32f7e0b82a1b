using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;
using Size = Cdi.Importer.Core.Sizing.VolumeSize;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>Bad input gets a clear reason, and a failed import leaves neither disk.img nor anything else behind.</summary>
public sealed class ImportSafetyTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    private string Qcow2 => corpus.Get("base.qcow2", p => TestImages.Convert(corpus.BaseRaw, p, "qcow2"));

    private static async Task<ImportException> FailsCleanly(ImportRequest request, TempDirectory workspace)
    {
        var before = workspace.Listing();
        var e = await ImportHarness.FailAsync(request);
        File.Exists(Path.Combine(request.TargetPath, "disk.img")).Should().BeFalse();
        if (Directory.Exists(request.TargetPath))
        {
            Directory.EnumerateFileSystemEntries(request.TargetPath).Should().BeEmpty("a failed import leaves no temporary or scratch files");
        }
        workspace.Listing().Where(p => !p.StartsWith("target", StringComparison.Ordinal)).Should().Equal(
            before.Where(p => !p.StartsWith("target", StringComparison.Ordinal)), "nothing outside the target is created or changed");
        e.Message.Should().NotContain("\n");
        return e;
    }

    [Fact]
    public async Task Virtual_size_above_usable_size_fails_with_both_sizes()
    {
        using var ws = new TempDirectory();
        var size = 20L << 20;
        var e = await FailsCleanly(new ImportRequest(corpus.PathOf(Qcow2), ws.File("target"), size), ws);
        e.Reason.Should().Be(ImportFailureReason.ImageTooLarge);
        e.Message.Should().Be($"virtual size {ImageCorpus.BaseSize} is larger than available {Size.Usable(size, 0.06m)}");
    }

    [Fact]
    public async Task Raw_over_http_above_usable_size_fails_before_writing()
    {
        using var ws = new TempDirectory();
        var raw = corpus.Get("plain.raw", p => File.Copy(corpus.BaseRaw, p));
        var e = await FailsCleanly(new ImportRequest(corpus.Server.RangeUrl(raw), ws.File("target"), 20L << 20), ws);
        e.Reason.Should().Be(ImportFailureReason.ImageTooLarge);
        e.Message.Should().StartWith($"virtual size {ImageCorpus.BaseSize} is larger than available ");
    }

    [Fact]
    public async Task Decompression_bomb_stops_at_the_usable_size()
    {
        // 1 GiB of zeros compresses to about 1 MiB; the volume holds 8 MiB.
        var bomb = corpus.Get("bomb.raw.gz", p => ProcessRunner.Sh($"head -c 1G /dev/zero | gzip -1 > '{p}'"));
        using var ws = new TempDirectory();
        var e = await FailsCleanly(new ImportRequest(corpus.Server.RangeUrl(bomb), ws.File("target"), 8L << 20), ws);
        e.Reason.Should().Be(ImportFailureReason.ImageTooLarge);
        e.Message.Should().Contain("larger than available");
    }

    [Fact]
    public async Task Qcow2_with_backing_file_is_rejected()
    {
        var overlay = corpus.Get("overlay.qcow2", p =>
            TestImages.QemuImg("create", "-f", "qcow2", "-b", corpus.PathOf(Qcow2), "-F", "qcow2", p));
        using var ws = new TempDirectory();
        var e = await FailsCleanly(new ImportRequest(corpus.Server.RangeUrl(overlay), ws.File("target"), 64L << 20), ws);
        e.Reason.Should().Be(ImportFailureReason.BackingFileNotAllowed);
        e.Message.Should().Be("qcow2 backing file is not allowed");
    }

    [Fact]
    public async Task Checksum_mismatch_fails_and_leaves_no_disk()
    {
        using var ws = new TempDirectory();
        var wrong = ExpectedChecksum.Parse("sha256:" + new string('0', 64));
        var e = await FailsCleanly(new ImportRequest(corpus.Server.RangeUrl(Qcow2), ws.File("target"), 64L << 20, Checksum: wrong), ws);
        e.Reason.Should().Be(ImportFailureReason.ChecksumMismatch);
        var actual = ProcessRunner.Sh($"sha256sum '{corpus.PathOf(Qcow2)}' | cut -d' ' -f1").Trim();
        e.Message.Should().Be($"checksum mismatch: expected sha256:{new string('0', 64)} got sha256:{actual}");
    }

    [Theory]
    [InlineData("md5", "md5sum")]
    [InlineData("sha1", "sha1sum")]
    [InlineData("sha256", "sha256sum")]
    [InlineData("sha512", "sha512sum")]
    public async Task Checksum_of_the_bytes_as_served_passes(string algorithm, string tool)
    {
        var gz = corpus.Get("base.qcow2.gz", p => ProcessRunner.Sh($"gzip -c '{corpus.PathOf(Qcow2)}' > '{p}'"));
        var sum = ProcessRunner.Sh($"{tool} '{corpus.PathOf(gz)}' | cut -d' ' -f1").Trim();
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(gz), ws.File("target"), 64L << 20,
            Checksum: ExpectedChecksum.Parse($"{algorithm}:{sum}")));
        result.Checksum.Should().Be($"{algorithm}:{sum}");
        File.Exists(ws.File("target/disk.img")).Should().BeTrue();
    }

    [Fact]
    public async Task Missing_url_is_source_not_found()
    {
        using var ws = new TempDirectory();
        var e = await FailsCleanly(new ImportRequest(corpus.Server.RangeUrl("nope.img"), ws.File("target"), 64L << 20), ws);
        e.Reason.Should().Be(ImportFailureReason.SourceNotFound);
        e.Message.Should().Contain("HTTP 404");
    }

    [Fact]
    public async Task Missing_file_is_source_not_found()
    {
        using var ws = new TempDirectory();
        var e = await FailsCleanly(new ImportRequest(ws.File("nope.img"), ws.File("target"), 64L << 20), ws);
        e.Reason.Should().Be(ImportFailureReason.SourceNotFound);
    }

    [Fact]
    public async Task Failed_reimport_removes_the_earlier_disk()
    {
        using var ws = new TempDirectory();
        var target = ws.Sub("target");
        await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(Qcow2), target, 64L << 20));
        File.Exists(Path.Combine(target, "disk.img")).Should().BeTrue();
        await ImportHarness.FailAsync(new ImportRequest(ws.File("nope.img"), target, 64L << 20));
        File.Exists(Path.Combine(target, "disk.img")).Should().BeFalse("a stale disk.img would look like this import's result");
    }

    [Fact]
    public async Task Block_target_needs_scratch_for_a_download_that_must_be_converted()
    {
        using var ws = new TempDirectory();
        var device = ws.File("device.img");
        File.WriteAllBytes(device, new byte[1 << 20]);
        using (var f = File.OpenWrite(device)) { f.SetLength(64L << 20); }
        // Without Range support the download must be copied to be converted; with it, it converts in place.
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.Server.PlainUrl(Qcow2), device, 0, VolumeMode.Block));
        e.Reason.Should().Be(ImportFailureReason.ScratchSpaceRequired);
        ws.Listing().Should().Equal("device.img");
        var ranged = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.RangeUrl(Qcow2), device, 0, VolumeMode.Block));
        ranged.UsedScratch.Should().BeFalse();
    }

    [Fact]
    public async Task Shrunk_qcow2_keeps_its_larger_l1_table_and_still_imports()
    {
        // Regression: an L1 table larger than the virtual size needs is valid (qemu-img resize --shrink leaves it).
        var shrunk = corpus.Get("shrunk.qcow2", p =>
        {
            TestImages.QemuImg("create", "-f", "qcow2", p, "2G");
            TestImages.QemuImg("resize", "--shrink", "-f", "qcow2", p, "16M");
        });
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(shrunk), ws.File("target"), 64L << 20));
        result.VirtualSize.Should().Be(16L << 20);
    }
}
