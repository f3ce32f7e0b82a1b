namespace Cdi.Importer.Core.Compression;

/// <summary>One codec's incremental decoder. <see cref="DecoderStream"/> owns the buffering; the decoder only turns input into output.</summary>
internal interface IStreamDecoder : IDisposable
{
    /// <summary>Codec name for messages ("xz", "zstd", …).</summary>
    string Name { get; }

    /// <summary>Decodes as much as possible.</summary>
    /// <param name="input">Compressed bytes not yet consumed.</param>
    /// <param name="output">Room for decompressed bytes.</param>
    /// <param name="inputComplete">True once <paramref name="input"/> holds all remaining compressed bytes.</param>
    /// <param name="consumed">How many bytes of <paramref name="input"/> were used.</param>
    /// <param name="written">How many bytes were written to <paramref name="output"/>.</param>
    /// <returns>True when the compressed data has ended and all of its output has been written.</returns>
    /// <exception cref="Pipeline.ImportException">Corrupt or truncated data, or a decoder limit was hit.</exception>
    bool Decode(ReadOnlySpan<byte> input, Span<byte> output, bool inputComplete, out int consumed, out int written);
}
