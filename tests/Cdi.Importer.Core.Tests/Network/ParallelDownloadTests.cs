using System.Security.Cryptography;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Network;
using Cdi.Importer.Core.Pipeline;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Downloads over several ranged connections reach the decoder in order, survive breaks per segment and never mix versions.</summary>
public sealed class ParallelDownloadTests : IDisposable
{
    private const int Segment = 256 << 10;
    private const int Connections = 3;
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    private static HttpSourceOptions Parallel(List<HttpRetry>? retries = null) =>
        NetworkHarness.FastRetries(retries) with { ParallelConnections = Connections, SegmentSize = Segment };

    private ExpectedChecksum Sha256(byte[] data) => ExpectedChecksum.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(data)));

    [Fact]
    public async Task Segments_are_fetched_in_parallel_and_assembled_in_order()
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, _data));

        var result = await _harness.RunAsync(server.Url(), Parallel(), checksum: Sha256(_data));

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_data.Length);
        var requests = server.Requests;
        requests.Should().ContainSingle(r => r.Header("Range") == null, "one plain GET learns length and validator and carries the first segment");
        var ranged = requests.Where(r => r.Header("Range") != null).OrderBy(r => r.RangeStart).ToList();
        ranged.Select(r => (r.RangeStart, r.RangeEnd)).Should().Equal(
            Enumerable.Range(1, (_data.Length / Segment) - 1).Select(i => ((long?)i * Segment, (long?)((i + 1) * Segment) - 1)));
        ranged.Should().OnlyContain(r => r.Header("If-Range") == "\"v1\"");
        server.MaxConcurrentRequests.Should().BeLessThanOrEqualTo(Connections + 1, "connections are bounded");
    }

    [Fact]
    public async Task A_broken_segment_resumes_from_where_it_broke()
    {
        const int segmentIndex = 5;
        var broken = 0;
        using var server = new FaultHttpServer(r =>
            r.RangeStart == segmentIndex * Segment && Interlocked.Exchange(ref broken, 1) == 0
                ? FaultReply.File(r, _data) with { ResetAfter = 1000 }
                : FaultReply.File(r, _data));
        var retries = new List<HttpRetry>();

        var result = await _harness.RunAsync(server.Url(), Parallel(retries), checksum: Sha256(_data));

        _harness.DiskShouldHold(_data);
        result.BytesRead.Should().Be(_data.Length);
        // The segment is asked for twice: once whole, then from what arrived before the reset (a reset may discard it all).
        var forSegment = server.Requests.Where(r => r.RangeEnd == ((segmentIndex + 1) * Segment) - 1).ToList();
        forSegment.Should().HaveCount(2);
        forSegment[0].RangeStart.Should().Be(segmentIndex * Segment);
        forSegment[1].RangeStart.Should().BeInRange(segmentIndex * Segment, (segmentIndex * Segment) + 1000);
        retries[0].Offset.Should().Be(forSegment[1].RangeStart);
        retries.Should().ContainSingle().Which.Cause.Should().Contain($"segment {segmentIndex * Segment}-");
    }

    [Fact]
    public async Task A_change_mid_download_restarts_with_the_new_version_only()
    {
        var second = SourceData.Raw(seed: 9);
        using var server = new FaultHttpServer(r => r.Index < 4
            ? FaultReply.File(r, _data, etag: "\"v1\"")
            : FaultReply.File(r, second, etag: "\"v2\""));

        await _harness.RunAsync(server.Url(), Parallel(), checksum: Sha256(second));

        _harness.DiskShouldHold(second);
        server.Requests.Count(r => r.Header("Range") == null).Should().Be(2, "one clean restart");
    }

    [Fact]
    public async Task Lying_content_range_fails_cleanly_after_restarts()
    {
        using var server = new FaultHttpServer(r => r.RangeStart is { } start
            ? FaultReply.File(r, _data).WithHeader("Content-Range", $"bytes {start}-{start + 10}/{_data.Length}")
            : FaultReply.File(r, _data));

        var e = await _harness.FailsCleanlyAsync(server.Url(), Parallel());

        e.Reason.Should().Be(ImportFailureReason.SourceNotResumable);
        e.Message.Should().Contain("with Content-Range \"bytes ");
        server.Requests.Count(r => r.Header("Range") == null).Should().Be(ImageImporter.MaxRestarts + 1);
    }

    public void Dispose() => _harness.Dispose();
}
