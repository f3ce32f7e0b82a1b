using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Progress;

/// <param name="Total">Bytes the phase is expected to read, when known.</param>
/// <param name="Percent">0–100, or null when the total is unknown.</param>
public sealed record ProgressSnapshot(ImportPhase Phase, long BytesRead, long BytesWritten, long? Total, double? Percent, TimeSpan Elapsed);
