namespace Cdi.Importer.Core.Compression;

/// <summary>Recognises a compressed stream by its magic bytes, never by file name or content type.</summary>
public static class CompressionDetector
{
    /// <summary>Bytes worth peeking so that every check below can run (bzip2's block magic ends at offset 10).</summary>
    public const int HeadBytes = 10;

    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];
    private static ReadOnlySpan<byte> XzMagic => [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];
    private static ReadOnlySpan<byte> Bzip2Magic => "BZh"u8;
    private static ReadOnlySpan<byte> Bzip2BlockMagic => [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
    private static ReadOnlySpan<byte> Bzip2EndOfStreamMagic => [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

    public static CompressionKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(XzMagic))
        {
            return CompressionKind.Xz;
        }

        if (head.StartsWith(ZstdMagic))
        {
            return CompressionKind.Zstd;
        }

        if (head.StartsWith(GzipMagic))
        {
            return CompressionKind.Gzip;
        }

        return IsBzip2(head) ? CompressionKind.Bzip2 : CompressionKind.None;
    }

    // "BZh1" is only four printable bytes, which a raw disk could start with; when the head is long enough the first
    // block (or, for empty input, the end-of-stream) magic must follow, so raw data is not mistaken for bzip2.
    private static bool IsBzip2(ReadOnlySpan<byte> head)
    {
        if (head.Length < 4 || !head.StartsWith(Bzip2Magic) || head[3] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }

        if (head.Length < 4 + Bzip2BlockMagic.Length)
        {
            return true;
        }

        var next = head.Slice(4, Bzip2BlockMagic.Length);
        return next.SequenceEqual(Bzip2BlockMagic) || next.SequenceEqual(Bzip2EndOfStreamMagic);
    }
}
