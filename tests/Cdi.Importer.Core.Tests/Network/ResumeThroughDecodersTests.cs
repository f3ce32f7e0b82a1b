using System.IO.Compression;
using System.Security.Cryptography;
using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Formats;
using Cdi.Testing;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Network;

/// <summary>Resumes are invisible to what sits above the source: decompressors (which read synchronously) and the scratch path of qcow2.</summary>
public sealed class ResumeThroughDecodersTests : IDisposable
{
    private readonly NetworkHarness _harness = new();
    private readonly byte[] _data = SourceData.Raw();

    [Fact]
    public async Task Gzip_download_broken_twice_decodes_to_the_source()
    {
        var gz = Gzip(_data);
        using var server = new FaultHttpServer(r => r.Index switch
        {
            0 => FaultReply.File(r, gz) with { ResetAfter = gz.Length / 3 },
            1 => FaultReply.File(r, gz) with { ResetAfter = (gz.Length / 3) + 1000 },
            _ => FaultReply.File(r, gz),
        });
        var checksum = ExpectedChecksum.Parse("sha256:" + Convert.ToHexStringLower(SHA256.HashData(gz)));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(), checksum: checksum);

        result.Compression.Should().Equal(CompressionKind.Gzip);
        result.BytesRead.Should().Be(gz.Length);
        _harness.DiskShouldHold(_data);
        server.Requests.Should().HaveCount(3);
        server.Requests.Skip(1).Should().OnlyContain(r => r.RangeStart > 0);
    }

    [Fact]
    public async Task Qcow2_download_resumed_into_scratch_matches_qemu_img()
    {
        using var dir = new TempDirectory();
        var (bytes, reference) = SourceData.Qcow2(_data, dir);
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, bytes) with { ResetAfter = bytes.Length / 2 }
            : FaultReply.File(r, bytes));

        // A checksum needs the whole download in order, so this qcow2 goes through scratch (not ranged reads).
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries(), checksum: Checksums.ExpectedChecksum.Parse("sha256:" + sha));

        result.Format.Should().Be(ImageFormat.Qcow2);
        result.UsedScratch.Should().BeTrue();
        TestImages.CompareWithReference(_harness.Disk, reference, NetworkHarness.VolumeSize).Should().BeNull();
        server.Requests.Should().HaveCount(2);
        _harness.Workspace.Listing(_harness.Target).Should().Equal(["disk.img"], "the scratch copy is gone");
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Qcow2_over_ranges_survives_a_reset_of_the_first_download_without_scratch()
    {
        using var dir = new TempDirectory();
        var (bytes, reference) = SourceData.Qcow2(_data, dir);
        using var server = new FaultHttpServer(r => r.Index == 0
            ? FaultReply.File(r, bytes) with { ResetAfter = bytes.Length / 2 }
            : FaultReply.File(r, bytes));

        var result = await _harness.RunAsync(server.Url(), NetworkHarness.FastRetries());

        result.UsedScratch.Should().BeFalse("the server serves ranges of one version, so the converter reads them directly");
        TestImages.CompareWithReference(_harness.Disk, reference, NetworkHarness.VolumeSize).Should().BeNull();
        server.Requests.Skip(1).Should().OnlyContain(r => r.RangeStart != null);
    }
}
