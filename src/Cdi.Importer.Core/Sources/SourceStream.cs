namespace Cdi.Importer.Core.Sources;

/// <param name="Stream">The bytes as served.</param>
/// <param name="Length">Their count when the source announces it.</param>
/// <param name="LocalPath">Set when the bytes are a local regular file, which converters may read in place.</param>
/// <param name="OpenRandomAccess">Set when the source can also serve positional reads of the same bytes (Range with a
/// strong validator); opening it ends the sequential stream's use.</param>
public sealed record SourceStream(Stream Stream, long? Length, string? LocalPath,
    Func<CancellationToken, ValueTask<IRandomAccessReader>>? OpenRandomAccess = null);
