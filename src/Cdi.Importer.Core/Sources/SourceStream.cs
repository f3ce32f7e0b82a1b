namespace Cdi.Importer.Core.Sources;

/// <param name="Stream">The bytes as served.</param>
/// <param name="Length">Their count when the source announces it.</param>
/// <param name="LocalPath">Set when the bytes are a local regular file, which converters may read in place.</param>
public sealed record SourceStream(Stream Stream, long? Length, string? LocalPath);
