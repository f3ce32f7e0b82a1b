using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Compression;

/// <summary>Opens the decoder for a detected <see cref="CompressionKind"/>.</summary>
public static class Decompressor
{
    /// <summary>
    /// Wraps <paramref name="inner"/> in a read-only, forward-only decompressing stream that owns it (disposing the result disposes
    /// <paramref name="inner"/>). Reads throw <see cref="ImportException"/>: <see cref="ImportFailureReason.CorruptImage"/> for corrupt,
    /// truncated or trailing data, <see cref="ImportFailureReason.DecoderLimit"/> when the data needs more decoder memory than allowed.
    /// If Open itself throws (codec library missing), <paramref name="inner"/> stays the caller's to dispose.
    /// </summary>
    public static Stream Open(CompressionKind kind, Stream inner, DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(limits);
        return kind switch
        {
            CompressionKind.Gzip => new DecoderStream(inner, new GzipDecoder()),
            CompressionKind.Xz => new DecoderStream(inner, new XzStreamDecoder(limits)),
            CompressionKind.Zstd => new DecoderStream(inner, new ZstdDecoder(limits)),
            CompressionKind.Bzip2 => new DecoderStream(inner, new Bzip2Decoder()),
            CompressionKind.None => throw new ArgumentException("uncompressed data needs no decoder", nameof(kind)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown compression kind"),
        };
    }
}
