using Cdi.Importer.Core.Pipeline;
using Cdi.Importer.Core.Progress;
using Cdi.Testing;
using Size = Cdi.Importer.Core.Sizing.VolumeSize;

namespace Cdi.Importer.Core.Tests.Pipeline;

public sealed class BlockAndSparseTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    private string Qcow2 => corpus.Get("base.qcow2", p => TestImages.Convert(corpus.BaseRaw, p, "qcow2"));
    private string Reference => corpus.Get("base.ref", p => TestImages.Reference(corpus.PathOf(Qcow2), "qcow2", p));

    /// <summary>A stand-in block device full of old data, so a skipped zero run would show through.</summary>
    private static string Device(TempDirectory ws, long size)
    {
        var path = ws.File("device");
        ProcessRunner.Sh($"head -c {size} /dev/urandom > '{path}'");
        return path;
    }

    [Fact]
    public async Task Block_target_from_raw_stream_has_zeros_where_the_image_has_zeros()
    {
        using var ws = new TempDirectory();
        var device = Device(ws, 32L << 20);
        var gz = corpus.Get("base.raw.gz", p => ProcessRunner.Sh($"gzip -c '{corpus.BaseRaw}' > '{p}'"));
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.RangeUrl(gz), device, 0, VolumeMode.Block));
        result.Capacity.Should().Be(32L << 20);
        new FileInfo(device).Length.Should().Be(32L << 20, "block targets are never resized");
        ProcessRunner.Sh($"cmp -n {ImageCorpus.BaseSize} '{device}' '{corpus.BaseRaw}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task Block_target_from_local_qcow2_matches_qemu_img()
    {
        using var ws = new TempDirectory();
        var device = Device(ws, 32L << 20);
        await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(Qcow2), device, 0, VolumeMode.Block));
        ProcessRunner.Sh($"cmp -n {ImageCorpus.BaseSize} '{device}' '{corpus.PathOf(Reference)}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task Block_target_with_scratch_converts_a_download()
    {
        using var ws = new TempDirectory();
        var device = Device(ws, 32L << 20);
        var scratch = ws.Sub("scratch");
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(Qcow2), device, 0, VolumeMode.Block, ScratchDirectory: scratch));
        result.UsedScratch.Should().BeTrue();
        Directory.EnumerateFileSystemEntries(scratch).Should().BeEmpty("scratch is cleaned up");
        ProcessRunner.Sh($"cmp -n {ImageCorpus.BaseSize} '{device}' '{corpus.PathOf(Reference)}' && echo same").Trim().Should().Be("same");
    }

    [Fact]
    public async Task Block_target_smaller_than_the_image_fails()
    {
        using var ws = new TempDirectory();
        var device = Device(ws, 16L << 20);
        var e = await ImportHarness.FailAsync(new ImportRequest(corpus.PathOf(Qcow2), device, 0, VolumeMode.Block));
        e.Reason.Should().Be(ImportFailureReason.ImageTooLarge);
        new FileInfo(device).Length.Should().Be(16L << 20);
    }

    [Fact]
    public async Task Preallocation_allocates_the_whole_usable_size()
    {
        using var ws = new TempDirectory();
        var size = 48L << 20;
        await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(Qcow2), ws.Path, size, Preallocation: true));
        TestImages.AllocatedBytes(ws.File("disk.img")).Should().BeGreaterThanOrEqualTo(Size.Usable(size, 0.06m));
        TestImages.CompareWithReference(ws.File("disk.img"), corpus.PathOf(Reference), Size.Usable(size, 0.06m)).Should().BeNull();
    }

    [Fact]
    public async Task Blank_disk_is_a_hole_of_the_usable_size()
    {
        using var ws = new TempDirectory();
        var result = await ImportHarness.RunAsync(new ImportRequest(ImportRequest.BlankSource, ws.Path, 1L << 30));
        new FileInfo(ws.File("disk.img")).Length.Should().Be(Size.Usable(1L << 30, 0.06m));
        result.BytesWritten.Should().Be(0);
        TestImages.AllocatedBytes(ws.File("disk.img")).Should().Be(0);
    }

    [Fact]
    public async Task A_new_attempt_removes_what_killed_attempts_left_and_nothing_else()
    {
        using var ws = new TempDirectory();
        using var outside = new TempDirectory();
        File.WriteAllBytes(ws.File(".disk.img.part-0123abcd"), new byte[1 << 20]);
        File.WriteAllBytes(ws.File(".cdi-scratch-4567.img"), new byte[1 << 20]);
        File.WriteAllText(ws.File(".keep"), "mine");
        File.WriteAllText(outside.File("victim"), "outside the volume");
        File.CreateSymbolicLink(ws.File(".disk.img.part-link"), outside.File("victim"));

        await ImportHarness.RunAsync(new ImportRequest(ImportRequest.BlankSource, ws.Path, 64L << 20));

        Directory.EnumerateFileSystemEntries(ws.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["disk.img", ".keep"]);
        File.ReadAllText(outside.File("victim")).Should().Be("outside the volume", "a link is removed, never followed");
    }

    [Fact]
    public async Task Custom_filesystem_overhead_sets_the_size()
    {
        using var ws = new TempDirectory();
        await ImportHarness.RunAsync(new ImportRequest(corpus.PathOf(Qcow2), ws.Path, 100_000_000, FilesystemOverhead: 0.1m));
        new FileInfo(ws.File("disk.img")).Length.Should().Be(89_999_872); // floor(0.9 * 1e8 / 512) * 512
    }

    [Fact]
    public async Task Progress_names_upstream_phases_in_order()
    {
        var sink = new RecordingSink();
        using var ws = new TempDirectory();
        await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(Qcow2), ws.Path, 64L << 20), sink);
        sink.Phases.Should().Equal(ImportPhase.Info, ImportPhase.TransferScratch, ImportPhase.Convert, ImportPhase.Resize, ImportPhase.Complete);
        sink.Last!.Percent.Should().Be(100);
        sink.Snapshots.Should().Contain(s => s.Phase == ImportPhase.TransferScratch && s.Total == new FileInfo(corpus.PathOf(Qcow2)).Length);
    }

    [Fact]
    public async Task Raw_download_streams_without_scratch()
    {
        var sink = new RecordingSink();
        using var ws = new TempDirectory();
        var xz = corpus.Get("base.raw.gz", p => ProcessRunner.Sh($"gzip -c '{corpus.BaseRaw}' > '{p}'"));
        var result = await ImportHarness.RunAsync(new ImportRequest(corpus.Server.PlainUrl(xz), ws.Path, 64L << 20), sink);
        result.UsedScratch.Should().BeFalse();
        sink.Phases.Should().Equal(ImportPhase.Info, ImportPhase.TransferDataFile, ImportPhase.Resize, ImportPhase.Complete);
    }

    private sealed class RecordingSink : IProgressSink
    {
        private readonly Lock _lock = new();
        public List<ImportPhase> Phases { get; } = [];
        public List<ProgressSnapshot> Snapshots { get; } = [];
        public ProgressSnapshot? Last { get; private set; }

        public void Report(ProgressSnapshot snapshot, bool phaseChanged)
        {
            lock (_lock)
            {
                Snapshots.Add(snapshot);
                Last = snapshot;
                if (phaseChanged)
                {
                    Phases.Add(snapshot.Phase);
                }
            }
        }

        public void Finish() { }
    }
}
