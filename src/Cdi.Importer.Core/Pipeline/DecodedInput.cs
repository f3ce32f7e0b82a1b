using Cdi.Importer.Core.Checksums;
using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Sources;
using Cdi.Importer.Core.Streams;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>
/// The read side of an import as a stack of decorators: bytes as served (counted, hashed) under zero or more
/// decompressors, each codec at most once, topped by a peekable stream for the detectors.
/// </summary>
public sealed class DecodedInput : IAsyncDisposable
{
    private const int MagicBytes = 16;
    private readonly CountingStream _served;
    private readonly HashingReadStream? _hashing;
    private readonly DecoderLimits _limits;
    private readonly List<CompressionKind> _codecs = [];

    public DecodedInput(SourceStream opened, ExpectedChecksum? checksum, DecoderLimits limits)
    {
        _limits = limits;
        _served = new CountingStream(opened.Stream);
        _hashing = checksum is null ? null : new HashingReadStream(_served, checksum);
        Stream = new PeekableStream((Stream?)_hashing ?? _served);
    }

    public PeekableStream Stream { get; private set; }

    public IReadOnlyList<CompressionKind> Codecs => _codecs;

    /// <summary>Bytes read from the source so far (compressed bytes, where compressed).</summary>
    public long BytesRead => _served.Count;

    public async Task UnwrapAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var head = await Stream.PeekAsync(MagicBytes, cancellationToken).ConfigureAwait(false);
            var kind = CompressionDetector.Detect(head.Span);
            if (kind == CompressionKind.None)
            {
                return;
            }
            if (_codecs.Contains(kind))
            {
                // Each codec once bounds the nesting depth, as upstream does.
                ImportException.Throw(ImportFailureReason.UnsupportedFormat, $"{Name(kind)} compression nested inside {Name(kind)} is not allowed");
            }
            _codecs.Add(kind);
            Stream = new PeekableStream(Decompressor.Open(kind, Stream, _limits));
        }
    }

    public async Task VerifyChecksumAsync(CancellationToken cancellationToken)
    {
        if (_hashing is not null)
        {
            await _hashing.VerifyAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Name(CompressionKind kind) => kind.ToString().ToLowerInvariant();

    public ValueTask DisposeAsync()
    {
        Stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
