using Cdi.Importer.Core.Formats;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>A qcow2 from a server with Range is read by ranges: the parallel download of the first GET never starts.</summary>
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
        const int segment = 64 << 10;

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries() with { SegmentSize = segment, ParallelConnections = 4 });

        result.Format.Should().Be(ImageFormat.Qcow2);
        result.UsedScratch.Should().BeFalse();
        TestImages.CompareWithReference(_harness.Disk, reference, NetworkHarness.VolumeSize).Should().BeNull();
        server.Requests[0].RangeStart.Should().BeNull("the first request asks for the whole resource");
        server.Requests.Skip(1).Should().OnlyContain(r => r.RangeStart == 0 || r.RangeStart % (8 << 20) == 0,
            "after the format is known only the converter's 8 MiB block reads follow, no download segments");
    }
}
