namespace Cdi.Api.Contracts;

/// <summary>
/// What an importer pod reports, as JSON in its termination message (at most 4096 bytes). The controller trusts a
/// DataVolume's success only from a result with <see cref="Succeeded"/> true.
/// </summary>
public sealed record ImporterResult
{
    public const int CurrentVersion = 1;

    /// <summary>Required: a result without one, or with another, is not read (no default, so absence is visible).</summary>
    public int? Version { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>Why the import failed; null on success.</summary>
    public ImporterFailureReason? Reason { get; set; }

    /// <summary>One line: the import's summary or its failure.</summary>
    public string Message { get; set; } = "";

    /// <summary>Whether running the same import again may succeed (network trouble) or not (bad input).</summary>
    public bool Retryable { get; set; }

    public bool ScratchSpaceRequired { get; set; }
    public string? Format { get; set; }
    public long VirtualSize { get; set; }
    public long BytesRead { get; set; }
    public long BytesWritten { get; set; }
    public bool Preallocated { get; set; }
    public string? Checksum { get; set; }

    /// <summary>Where the bytes came from, when it says more than the spec's source (a registry mirror, for example).</summary>
    public string? SourceUsed { get; set; }
}
