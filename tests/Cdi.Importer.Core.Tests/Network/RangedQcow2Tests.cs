using Cdi.Importer.Core.Formats;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>A qcow2 from a server with Range is read by ranges (metadata blocks, cluster runs): the parallel download of the first GET never starts.</summary>
public sealed class RangedQcow2Tests : IDisposable
{
    private readonly NetworkHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Only_the_first_get_and_ranged_reads_hit_the_server()
    {
        using var dir = new TempDirectory();
        var (bytes, reference) = SourceData.Qcow2(SourceData.Raw(), dir);
        using var server = new FaultHttpServer(r => FaultReply.File(r, bytes));
        // Not a multiple of the cluster size, so a download segment could not pass for a cluster run or a cache block.
        const int segment = 96 << 10;

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries() with { SegmentSize = segment, ParallelConnections = 4 });

        result.Format.Should().Be(ImageFormat.Qcow2);
        result.UsedScratch.Should().BeFalse();
        TestImages.CompareWithReference(_harness.Disk, reference, NetworkHarness.VolumeSize).Should().BeNull();
        server.Requests[0].RangeStart.Should().BeNull("the first request asks for the whole resource");
        server.Requests.Skip(1).Should().OnlyContain(r => r.RangeStart % (64 << 10) == 0
                && ((r.RangeEnd - r.RangeStart + 1) % (64 << 10) == 0 || r.RangeEnd == bytes.Length - 1),
            "after the format is known only cluster runs and metadata blocks are read, no download segments");
        var runs = server.Requests.Skip(1).Where(r => r.RangeStart % (1 << 20) != 0).ToList();
        runs.Should().NotBeEmpty("data clusters are fetched as runs at their own offsets, not through the 1 MiB metadata cache");
    }

    [Fact]
    public async Task A_resource_that_changes_during_the_conversion_fails_cleanly_and_is_never_mixed()
    {
        using var dir = new TempDirectory();
        var (bytes, _) = SourceData.Qcow2(SourceData.Raw(), dir);
        // A resource that changes all the time: every request sees a new version, so If-Range never matches and the
        // server answers ranges with 200. Each attempt starts over and meets the same; none may mix versions.
        using var server = new FaultHttpServer(r => FaultReply.File(r, bytes, etag: $"\"v{r.Index}\""));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().BeOneOf(ImportFailureReason.SourceNotResumable, ImportFailureReason.SourceUnavailable);
        e.Message.Should().Contain("changed");
    }

    [Fact]
    public async Task A_run_the_server_keeps_failing_stops_the_import_after_its_retries()
    {
        using var dir = new TempDirectory();
        var (bytes, _) = SourceData.Qcow2(SourceData.Raw(), dir);
        using var server = new FaultHttpServer(r => r.RangeStart is { } start && start % (1 << 20) != 0
            ? FaultReply.WithStatus(503, "Service Unavailable")
            : FaultReply.File(r, bytes));

        var e = await _harness.FailsCleanlyAsync(server.Url(), NetworkHarness.FastRetries());

        e.Reason.Should().Be(ImportFailureReason.SourceUnavailable);
        e.Message.Should().Contain("503").And.Contain("gave up");
    }
}
