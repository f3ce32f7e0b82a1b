using Cdi.Importer.Core.Pipeline;
using Cdi.Testing;
using Cdi.Testing.Http;

namespace Cdi.Importer.Core.Tests.Pipeline;

/// <summary>
/// A 0-byte source is no disk image, decided once for every path: served with Range, without Range, gzip-wrapped, or
/// as a local file, the import fails with the same reason and leaves nothing in the volume.
/// </summary>
public sealed class EmptySourceTests
{
    private static async Task FailsAsEmptyAsync(string source)
    {
        using var target = new TempDirectory();
        var e = await ImportHarness.FailAsync(new ImportRequest(source, target.Path, 16L << 20));
        e.Reason.Should().Be(ImportFailureReason.CorruptImage);
        e.Message.Should().Be("the source is empty (0 bytes): there is no disk image to import");
        target.Listing().Should().BeEmpty("a failed import leaves nothing behind");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_empty_download_fails_with_or_without_range_support(bool ranges)
    {
        using var server = new FaultHttpServer(r => FaultReply.File(r, ReadOnlyMemory<byte>.Empty, honourRange: ranges)
            .WithHeader("Accept-Ranges", ranges ? "bytes" : "none"));
        await FailsAsEmptyAsync(server.Url());
    }

    [Fact]
    public async Task An_empty_gzip_member_fails_alike()
    {
        using var compressed = new MemoryStream();
        using (new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
        }
        var body = compressed.ToArray();
        using var server = new FaultHttpServer(r => FaultReply.File(r, body));
        await FailsAsEmptyAsync(server.Url("/disk.img.gz"));
    }

    [Fact]
    public async Task An_empty_local_file_fails_alike()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("empty.img"), []);
        await FailsAsEmptyAsync(dir.File("empty.img"));
    }
}
