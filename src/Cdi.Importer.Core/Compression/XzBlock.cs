namespace Cdi.Importer.Core.Compression;

/// <summary>One block of an xz file as its stream's index lists it.</summary>
/// <param name="Offset">Where the block header starts in the file.</param>
/// <param name="TotalSize">Header, compressed data, padding and check: the bytes to read.</param>
/// <param name="UncompressedOffset">Where its data starts in the decompressed output.</param>
/// <param name="UncompressedSize">How many bytes it decodes to.</param>
/// <param name="StreamHeader">The 12-byte header of the stream it belongs to (its check type).</param>
internal sealed record XzBlock(long Offset, long TotalSize, long UncompressedOffset, long UncompressedSize, ReadOnlyMemory<byte> StreamHeader);
