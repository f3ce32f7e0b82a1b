using Cdi.Importer.Core.Compression;

namespace Cdi.Importer.Core.Tests.Compression;

public sealed class CompressionDetectorTests
{
    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, CompressionKind.Gzip)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04 }, CompressionKind.Xz)]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x24 }, CompressionKind.Zstd)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 }, CompressionKind.Bzip2)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x31, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 }, CompressionKind.Bzip2)]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39 }, CompressionKind.Bzip2)]
    public void Detect_magic_bytes_name_the_codec(byte[] head, CompressionKind expected) =>
        CompressionDetector.Detect(head).Should().Be(expected);

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A })]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F })]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x30, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 })]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x20, 0x74, 0x65, 0x78, 0x74, 0x21 })]
    [InlineData(new byte[] { 0x51, 0x46, 0x49, 0xFB, 0, 0, 0, 3 })]
    public void Detect_anything_else_is_uncompressed(byte[] head) =>
        CompressionDetector.Detect(head).Should().Be(CompressionKind.None);

    [Fact]
    public void Detect_raw_text_starting_BZh_is_not_bzip2()
    {
        var head = "BZh9 is how this raw disk happens to begin"u8.ToArray();
        CompressionDetector.Detect(head).Should().Be(CompressionKind.None);
    }
}
