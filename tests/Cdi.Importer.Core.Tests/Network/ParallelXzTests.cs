using System.Globalization;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;
using FsCheck;
using FsCheck.Fluent;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>
/// Multi-block xz from a server with Range decodes block by block on every core, each block fetched by its own range
/// request and written to its own place; the output must equal xz's own decoding, whatever breaks on the way.
/// </summary>
public sealed class ParallelXzTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();
    private readonly byte[] _xz;
    private readonly List<(long Offset, long Size)> _blocks;

    public ParallelXzTests()
    {
        var raw = _harness.Workspace.File("source.raw");
        File.WriteAllBytes(raw, _data);
        _xz = Xz("--block-size=1MiB");
        _blocks = Blocks(_harness.Workspace.File("source.raw.xz"));
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Every_block_is_fetched_by_its_own_range_and_the_disk_equals_the_source()
    {
        // The first block's answer waits until a second block is asked for: only parallel decoding gets past it.
        var starts = _blocks.Select(b => b.Offset).ToHashSet();
        using var second = new ManualResetEventSlim();
        var arrived = 0;
        var firstSawSecond = false;
        using var server = new FaultHttpServer(r =>
        {
            if (r.RangeStart is { } start && starts.Contains(start))
            {
                var n = Interlocked.Increment(ref arrived);
                if (n == 2)
                {
                    second.Set();
                }
                else if (n == 1)
                {
                    firstSawSecond = second.Wait(TimeSpan.FromSeconds(30));
                }
            }
            return FaultReply.File(r, _xz);
        });

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        _harness.DiskShouldHold(_data);
        result.Compression.Should().Equal(CompressionKind.Xz);
        result.BytesRead.Should().Be(_xz.Length, "every byte is read once, nothing twice");
        _blocks.Should().HaveCountGreaterThan(4);
        var ranges = server.Requests.Where(r => r.RangeStart is not null).Select(r => (r.RangeStart!.Value, r.RangeEnd)).ToList();
        foreach (var (offset, size) in _blocks)
        {
            ranges.Should().Contain((offset, offset + size - 1), $"the block at {offset} is one range request");
        }
        firstSawSecond.Should().BeTrue("a second block is requested while the first is still being fetched");
    }

    [Fact]
    public async Task A_block_download_that_breaks_resumes_inside_the_block()
    {
        var (offset, size) = _blocks[2];
        var broken = 0;
        using var server = new FaultHttpServer(r => r.RangeStart == offset && Interlocked.Exchange(ref broken, 1) == 0
            ? FaultReply.File(r, _xz) with { ResetAfter = (int)(size / 2) }
            : FaultReply.File(r, _xz));
        var retries = new List<HttpRetry>();

        await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(retries));

        _harness.DiskShouldHold(_data);
        var resumed = server.Requests.Where(r => r.RangeStart > offset && r.RangeStart < offset + size).ToList();
        resumed.Should().ContainSingle("the block continues where it broke, not from its start");
        resumed[0].RangeEnd.Should().Be(offset + size - 1, "the resumed request asks only for the rest of the block");
        resumed[0].Header("If-Range").Should().Be("\"v1\"");
        retries.Should().ContainSingle();
    }

    [Fact]
    public async Task A_damaged_block_fails_cleanly_naming_the_corruption()
    {
        var damaged = (byte[])_xz.Clone();
        var (offset, size) = _blocks[3];
        damaged[offset + size / 2] ^= 0x55;
        using var server = new FaultHttpServer(r => FaultReply.File(r, damaged));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.CorruptImage);
        e.Message.Should().Contain("xz");
    }

    [Fact]
    public async Task A_block_needing_more_than_the_memory_limit_is_refused_with_what_it_needs()
    {
        var big = Xz("--block-size=1MiB --lzma2=preset=1,dict=64MiB");
        using var server = new FaultHttpServer(r => FaultReply.File(r, big));
        var limits = DecoderLimits.Default with { MemoryLimitBytes = 32L << 20, Threads = 2 };

        var act = () => NetworkHarness.RunAsync(new ImportRequest(server.Url(), _harness.Target, NetworkHarness.VolumeSize, FilesystemOverhead: 0m),
            NetworkHarness.FastRetries(), limits: limits);

        var e = (await act.Should().ThrowAsync<ImportException>()).Which;
        e.Reason.Should().Be(ImportFailureReason.DecoderLimit);
        e.Message.Should().Contain("needs 64").And.Contain("above the 32 MiB limit");
        File.Exists(_harness.Disk).Should().BeFalse();
    }

    [Fact]
    public void Random_damage_gives_the_xz_tools_output_or_a_clean_failure()
    {
        var runs = 0;
        var property = Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            runs++;
            var random = new Random(seed);
            var damaged = (byte[])_xz.Clone();
            for (var i = random.Next(1, 4); i > 0; i--)
            {
                // Past the magic: damaged magic is simply not xz, and is imported as the raw bytes it then is.
                var at = random.Next(2) == 0 ? random.Next(6, damaged.Length) : damaged.Length - 1 - random.Next(Math.Min(damaged.Length, 200));
                damaged[at] = (byte)random.Next(256);
            }
            var path = _harness.Workspace.File($"damaged-{runs}.xz");
            File.WriteAllBytes(path, damaged);
            var expected = ProcessRunner.Run("sh", ["-c", $"xz -dc '{path}' > '{path}.raw'"]);
            using var server = new FaultHttpServer(r => FaultReply.File(r, damaged));
            var target = _harness.Workspace.File($"target-{runs}");
            Exception? failure = null;
            try
            {
                NetworkHarness.RunAsync(new ImportRequest(server.Url(), target, NetworkHarness.VolumeSize, FilesystemOverhead: 0m),
                    NetworkHarness.FastRetries()).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                failure = e;
            }
            if (failure is null)
            {
                expected.ExitCode.Should().Be(0, $"seed {seed}: we accepted what xz refuses");
                TestImages.CompareWithReference(Path.Combine(target, "disk.img"), path + ".raw", NetworkHarness.VolumeSize).Should().BeNull($"seed {seed}");
            }
            else
            {
                failure.Should().BeOfType<ImportException>($"seed {seed}");
                File.Exists(Path.Combine(target, "disk.img")).Should().BeFalse($"seed {seed}");
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), property);
        runs.Should().Be(25);
    }

    [Fact]
    public async Task A_local_multi_block_file_decodes_the_same_way()
    {
        var path = _harness.Workspace.File("local.xz");
        File.WriteAllBytes(path, _xz);

        var result = await _harness.RunAsync(path, NetworkHarness.FastRetries());

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_xz.Length);
    }

    [Theory]
    [InlineData("-C crc32")]
    [InlineData("-C crc64")]
    [InlineData("-C sha256")]
    [InlineData("-C none")]
    // Filters our LZMA2 decoder does not handle go to liblzma, block by block all the same.
    [InlineData("--x86 --lzma2=preset=1")]
    [InlineData("--delta=dist=4 --lzma2=preset=1")]
    [InlineData("--lzma2=preset=1,lc=0,lp=4,pb=0")]
    public async Task Every_check_type_and_filter_chain_decodes_block_by_block(string options)
    {
        var bytes = Xz($"--block-size=1MiB {options}");
        using var server = new FaultHttpServer(r => FaultReply.File(r, bytes));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(bytes.Length);
        server.Requests.Count(r => r.RangeStart is not null).Should().BeGreaterThan(4, "each block is its own range");
    }

    [Theory]
    [InlineData(1, "integrity check")]
    [InlineData(5, "integrity check")]
    public async Task A_block_whose_check_does_not_match_fails_naming_it(int fromEnd, string reason)
    {
        // The last bytes of a block are its CRC64: the data decodes, the check must still catch the difference.
        var damaged = (byte[])_xz.Clone();
        var (offset, size) = _blocks[1];
        damaged[offset + size - fromEnd] ^= 0x01;
        using var server = new FaultHttpServer(r => FaultReply.File(r, damaged));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.CorruptImage);
        e.Message.Should().Contain(reason).And.Contain("block 1");
    }

    [Fact]
    public async Task Blocks_whose_data_starts_mid_page_meet_without_a_seam()
    {
        // 777777-byte blocks: every boundary falls inside a 4 KiB page, so neighbouring blocks, decoded on different
        // threads, both write buffered into the same page while the rest of each goes direct.
        var odd = Xz("--block-size=777777");
        using var server = new FaultHttpServer(r => FaultReply.File(r, odd));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(odd.Length);
        server.Requests.Count(r => r.RangeStart is not null).Should().BeGreaterThan(_data.Length / 777777, "each block is its own range");
    }

    [Fact]
    public async Task A_compressed_qcow2_decodes_block_by_block_into_scratch_and_converts()
    {
        var (qcow2, reference) = SourceData.Qcow2(_data, _harness.Workspace);
        var path = _harness.Workspace.File("source.qcow2.xz");
        File.WriteAllBytes(_harness.Workspace.File("plain.qcow2"), qcow2);
        ProcessRunner.Sh($"xz -T2 --block-size=128KiB -c '{_harness.Workspace.File("plain.qcow2")}' > '{path}'");
        var xz = File.ReadAllBytes(path);
        var blocks = Blocks(path);
        using var server = new FaultHttpServer(r => FaultReply.File(r, xz));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        result.Format.Should().Be(Cdi.Importer.Core.Formats.ImageFormat.Qcow2);
        result.UsedScratch.Should().BeTrue();
        TestImages.CompareWithReference(_harness.Disk, reference, NetworkHarness.VolumeSize).Should().BeNull();
        var ranges = server.Requests.Where(r => r.RangeStart is not null).Select(r => (r.RangeStart!.Value, r.RangeEnd)).ToList();
        blocks.Should().HaveCountGreaterThan(2);
        foreach (var (offset, size) in blocks)
        {
            ranges.Should().Contain((offset, offset + size - 1));
        }
    }

    /// <summary>Offset and total size of every block, as the xz tool lists them.</summary>
    /// <summary>The source disk through threaded xz with <paramref name="options"/>; also left in source.raw.xz.</summary>
    private byte[] Xz(string options)
    {
        var raw = _harness.Workspace.File("source.raw");
        ProcessRunner.Sh($"xz -T2 {options} -c '{raw}' > '{raw}.xz'");
        return File.ReadAllBytes(raw + ".xz");
    }

    private static List<(long Offset, long Size)> Blocks(string path) =>
        ProcessRunner.Sh($"xz --robot -lvv '{path}'").Split('\n').Select(l => l.Split('\t')).Where(f => f[0] == "block")
            .Select(f => (long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[6], CultureInfo.InvariantCulture))).ToList();
}
