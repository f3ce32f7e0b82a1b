using Cdi.Importer.Core.Formats.Qcow2;
using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Targets;
using Size = Cdi.Importer.Core.Sizing.VolumeSize;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>
/// The native qcow2 converter (ranged reads, no scratch) against qemu-img's raw conversion, over every cluster kind:
/// plain, zero, discarded, zlib- and zstd-compressed, and extended-L2 subclusters.
/// </summary>
public sealed class Qcow2RangedConversionTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    public static TheoryData<string, string, string[]> Images => new()
    {
        { "plain", "compat=1.1", [] },
        { "v2", "compat=0.10", [] },
        { "c512", "cluster_size=512", [] },
        { "c2m", "cluster_size=2M", [] },
        { "zero-and-discard", "compat=1.1", ["write -z 1M 64k", "discard 8M 1M", "write -P 0x33 8M 4k"] },
        { "subclusters", "extended_l2=on,cluster_size=128k", ["write -P 0x44 9M 4k", "write -z 16M 8k", "write -P 0x55 16M 4k"] },
        { "subclusters-2m", "extended_l2=on,cluster_size=2M", ["write -P 0x66 20M 64k"] },
    };

    private string Make(string name, string options, string[] edits) => corpus.Get($"r-{name}.qcow2", p =>
    {
        TestImages.Convert(corpus.BaseRaw, p, "qcow2", options);
        foreach (var edit in edits)
        {
            ProcessRunner.Sh($"qemu-io -f qcow2 -c '{edit}' '{p}' >/dev/null");
        }
    });

    private string Compressed(string type) => corpus.Get($"r-compressed-{type}.qcow2", p =>
        TestImages.QemuImg("convert", "-f", "raw", "-O", "qcow2", "-c", "-o", $"compression_type={type}", corpus.BaseRaw, p));

    private static async Task<string?> ConvertLocally(string image, string reference, string output, bool block)
    {
        await using var reader = new FileRangeReader(image);
        using (var handle = File.OpenHandle(output, FileMode.OpenOrCreate, FileAccess.ReadWrite))
        {
            var writer = new SparseWriter(handle, zeroSkippedRanges: block);
            var size = await Qcow2Converter.ConvertAsync(reader, writer, eraseHoles: block, CancellationToken.None);
            size.Should().Be(new FileInfo(reference).Length);
            RandomAccess.SetLength(handle, Math.Max(RandomAccess.GetLength(handle), size));
        }
        return TestImages.CompareWithReference(output, reference, new FileInfo(output).Length);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Converts_like_qemu_img(string name, string options, string[] edits)
    {
        var image = corpus.PathOf(Make(name, options, edits));
        var reference = corpus.PathOf(corpus.Get($"r-{name}.ref", p => TestImages.Reference(image, "qcow2", p)));
        using var ws = new TempDirectory();
        (await ConvertLocally(image, reference, ws.File("out.raw"), block: false)).Should().BeNull();
    }

    [Theory]
    [InlineData("zlib")]
    [InlineData("zstd")]
    public async Task Compressed_clusters_convert_like_qemu_img(string type)
    {
        var image = corpus.PathOf(Compressed(type));
        var reference = corpus.PathOf(corpus.Get($"r-compressed-{type}.ref", p => TestImages.Reference(image, "qcow2", p)));
        using var ws = new TempDirectory();
        (await ConvertLocally(image, reference, ws.File("out.raw"), block: false)).Should().BeNull();
    }

    [Fact]
    public async Task On_a_block_device_holes_overwrite_old_data()
    {
        var image = corpus.PathOf(Make("zero-and-discard", "compat=1.1", ["write -z 1M 64k", "discard 8M 1M", "write -P 0x33 8M 4k"]));
        var reference = corpus.PathOf(corpus.Get("r-zero-and-discard.ref", p => TestImages.Reference(image, "qcow2", p)));
        using var ws = new TempDirectory();
        var device = ws.File("device");
        ProcessRunner.Sh($"head -c {ImageCorpus.BaseSize} /dev/urandom > '{device}'");
        (await ConvertLocally(image, reference, device, block: true)).Should().BeNull();
    }

    [Theory]
    [InlineData("plain", "compat=1.1")]
    [InlineData("subclusters", "extended_l2=on,cluster_size=128k")]
    public async Task Over_http_with_range_it_needs_no_scratch(string name, string options)
    {
        var edits = name == "subclusters" ? new[] { "write -P 0x44 9M 4k", "write -z 16M 8k", "write -P 0x55 16M 4k" } : [];
        var image = Make(name, options, edits);
        var reference = corpus.PathOf(corpus.Get($"r-{name}.ref", p => TestImages.Reference(corpus.PathOf(image), "qcow2", p)));
        using var ws = new TempDirectory();
        var phases = new List<ImportPhase>();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.RangeUrl(image), ws.Path, 40L << 20), new PhaseSink(phases));
        result.UsedScratch.Should().BeFalse();
        phases.Should().Equal(ImportPhase.Info, ImportPhase.Convert, ImportPhase.Resize, ImportPhase.Complete);
        TestImages.CompareWithReference(ws.File("disk.img"), reference, Size.Usable(40L << 20, 0.06m)).Should().BeNull();
        ws.Listing().Should().Equal("disk.img");
    }

    [Fact]
    public async Task Without_range_support_it_falls_back_to_scratch()
    {
        var image = Make("plain", "compat=1.1", []);
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(image), ws.Path, 40L << 20));
        result.UsedScratch.Should().BeTrue();
    }

    private sealed class PhaseSink(List<ImportPhase> phases) : IProgressSink
    {
        public void Report(ProgressSnapshot snapshot, bool phaseChanged)
        {
            if (phaseChanged)
            {
                lock (phases)
                {
                    phases.Add(snapshot.Phase);
                }
            }
        }

        public void Finish() { }
    }
}
