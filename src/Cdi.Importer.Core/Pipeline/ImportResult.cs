using Cdi.Importer.Core.Compression;
using Cdi.Importer.Core.Formats;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>What an import produced; the CLI prints it and importer pods report it to the controller.</summary>
public sealed record ImportResult(
    ImageFormat? Format,
    IReadOnlyList<CompressionKind> Compression,
    long VirtualSize,
    long Capacity,
    long BytesRead,
    long BytesWritten,
    string? Checksum,
    bool Preallocated,
    bool UsedScratch,
    string OutputPath,
    string? SourceUsed = null);
