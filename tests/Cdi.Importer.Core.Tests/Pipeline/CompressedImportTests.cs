using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;
using Size = Cdi.Importer.Core.Sizing.VolumeSize;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>Compressed images (made by the real CLI tools) decode by magic bytes, whatever their names, and convert like qemu-img.</summary>
public sealed class CompressedImportTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    private const long VolumeBytes = 40L << 20;

    public static TheoryData<string, string, string, CompressionKind> Cases => new()
    {
        { "raw", "gzip -c", "gzip", CompressionKind.Gzip },
        { "raw", "pigz -p 2 -c", "pigz", CompressionKind.Gzip },
        { "raw", "xz -c", "xz", CompressionKind.Xz },
        { "raw", "xz -T2 --block-size=1MiB -c", "xzmb", CompressionKind.Xz },
        { "raw", "zstd -q -c", "zst", CompressionKind.Zstd },
        { "raw", "bzip2 -c", "bz2", CompressionKind.Bzip2 },
        { "qcow2", "xz -T2 --block-size=1MiB -c", "xz", CompressionKind.Xz },
        { "qcow2", "gzip -c", "gz", CompressionKind.Gzip },
        { "qcow2", "zstd -q -c", "zst", CompressionKind.Zstd },
        { "vmdk", "bzip2 -c", "bz2", CompressionKind.Bzip2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Compressed_image_converts_like_qemu_img(string driver, string compress, string suffix, CompressionKind codec)
    {
        var image = Image(driver);
        // A misleading name: detection goes by content only.
        var compressed = corpus.Get($"c.{driver}.{suffix}.img", p => ProcessRunner.Sh($"{compress} '{corpus.PathOf(image)}' > '{p}'"));
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(compressed), ws.Path, VolumeBytes));
        result.Compression.Should().Equal(codec);
        TestImages.CompareWithReference(ws.File("disk.img"), corpus.BaseRaw, Size.Usable(VolumeBytes, 0.06m)).Should().BeNull();
        ws.Listing().Should().Equal("disk.img");
    }

    public static TheoryData<string, string, string> RangedXzCases => new()
    {
        { "raw", "xz -c", "xz1" },
        { "raw", "xz -T2 --block-size=1MiB -c", "xzmb" },
        { "qcow2", "xz -T2 --block-size=1MiB -c", "xzmb" },
        { "vmdk", "xz -T2 --block-size=700KiB -c", "xzmb" },
    };

    [Theory]
    [MemberData(nameof(RangedXzCases))]
    public async Task Xz_from_a_server_with_range_converts_like_qemu_img_whether_decoded_by_block_or_as_a_stream(string driver, string compress, string suffix)
    {
        var image = Image(driver);
        var compressed = corpus.Get($"r.{driver}.{suffix}", p => ProcessRunner.Sh($"{compress} '{corpus.PathOf(image)}' > '{p}'"));
        using var ws = new TempDirectory();

        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.RangeUrl(compressed), ws.Path, VolumeBytes));

        result.Compression.Should().Equal(CompressionKind.Xz);
        result.BytesRead.Should().Be(new FileInfo(corpus.PathOf(compressed)).Length, "every byte of the file is read once");
        TestImages.CompareWithReference(ws.File("disk.img"), corpus.BaseRaw, Size.Usable(VolumeBytes, 0.06m)).Should().BeNull();
        ws.Listing().Should().Equal("disk.img");
    }

    [Fact]
    public async Task Two_codecs_nest_but_one_codec_twice_is_refused()
    {
        var xzgz = corpus.Get("c.raw.xz.gz", p => ProcessRunner.Sh($"xz -c '{corpus.BaseRaw}' | gzip -c > '{p}'"));
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(xzgz), ws.Path, VolumeBytes));
        result.Compression.Should().Equal(CompressionKind.Gzip, CompressionKind.Xz);

        var gzgz = corpus.Get("c.raw.gz.gz", p => ProcessRunner.Sh($"gzip -c '{corpus.BaseRaw}' | gzip -c > '{p}'"));
        using var ws2 = new TempDirectory();
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.PathOf(gzgz), ws2.Path, VolumeBytes));
        e.Message.Should().Be("gzip compression nested inside gzip is not allowed");
        ws2.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task Truncated_download_of_compressed_image_fails_cleanly()
    {
        var cut = corpus.Get("c.cut.xz", p => ProcessRunner.Sh($"xz -c '{corpus.BaseRaw}' | head -c 100000 > '{p}'"));
        using var ws = new TempDirectory();
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.Server.RangeUrl(cut), ws.Path, VolumeBytes));
        e.Reason.Should().Be(ImportFailureReason.CorruptImage);
        ws.Listing().Should().BeEmpty();
    }

    [Fact]
    public async Task Peak_memory_stays_bounded_for_a_large_image()
    {
        // 4 GiB of zeros plus data at both ends, zstd-compressed: the importer must stream it in bounded memory.
        var big = corpus.Get("big.raw.zst", p => ProcessRunner.Sh(
            $"(head -c 1M /dev/urandom; head -c 4G /dev/zero; head -c 1M /dev/urandom) | zstd -q -1 -T2 -c > '{p}'"));
        using var ws = new TempDirectory();
        var output = ProcessRunner.Run("python3", [Path.Combine(RepoPaths.Root, "bench", "measure.py"), RepoPaths.CdiBinary(),
            "import", "--progress", "none", "--source", corpus.PathOf(big), "--target", ws.Path, "--size", "5Gi"],
            environment: new Dictionary<string, string> { ["BENCH_QUIET"] = "1" });
        output.ExitCode.Should().Be(0, output.Stderr);
        var peakMib = double.Parse(output.Stdout.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        peakMib.Should().BeLessThan(256, "memory stays flat whatever the image size");
        TestImages.AllocatedBytes(ws.File("disk.img")).Should().BeLessThan(16L << 20, "zero runs are holes");
    }

    [Fact]
    public void Parallel_xz_blocks_with_large_dictionaries_stay_within_the_memory_budget()
    {
        // 64 MiB dictionaries, blocks large enough to fill them: decoding several at once must not add them all up.
        var big = corpus.Get("bigdict.raw.xz", p => ProcessRunner.Sh(
            $"(head -c 1M /dev/urandom; head -c 260M /dev/zero) | xz -T2 --block-size=66MiB --lzma2=preset=1,dict=64MiB -c > '{p}'"));
        using var ws = new TempDirectory();
        var output = ProcessRunner.Run("python3", [Path.Combine(RepoPaths.Root, "bench", "measure.py"), RepoPaths.CdiBinary(),
            "import", "--progress", "none", "--source", corpus.Server.RangeUrl(big), "--target", ws.Path, "--size", "1Gi"],
            environment: new Dictionary<string, string> { ["BENCH_QUIET"] = "1" });
        output.ExitCode.Should().Be(0, output.Stderr);
        var peakMib = double.Parse(output.Stdout.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        peakMib.Should().BeLessThan(256, "decoders share one memory budget");
    }

    /// <summary>The corpus's base disk as <paramref name="driver"/> (raw is the disk itself), made once.</summary>
    private string Image(string driver) => corpus.Get($"c.{driver}", p =>
    {
        if (driver == "raw")
        {
            File.Copy(corpus.BaseRaw, p);
        }
        else
        {
            TestImages.Convert(corpus.BaseRaw, p, driver);
        }
    });
}
