using System.Text.Json.Serialization;

namespace Cdi.Api.Contracts;

/// <summary>
/// Why an import failed, as <see cref="ImporterResult.Reason"/> carries it: a string enum on the wire (so a value this
/// controller does not know makes the whole result unreadable instead of silently "something else"). The importer's own
/// reasons map one to one (the importer owns that mapping); <see cref="InvalidSpec"/> is the contract's own.
/// </summary>
[JsonConverter(typeof(StrictStringEnumConverter<ImporterFailureReason>))]
public enum ImporterFailureReason
{
    /// <summary>The importer refused its <see cref="ImporterSpec"/>: missing, not JSON, an unknown version or a field out of range.</summary>
    InvalidSpec,
    InvalidArgument,
    SourceNotFound,
    SourceUnavailable,
    SourceHttpError,
    SourceTruncated,
    SourceUnauthorized,
    CertificateRejected,
    NetworkAddressDenied,
    RedirectRefused,
    SourceNotResumable,
    ChecksumMismatch,
    BackingFileNotAllowed,
    DataFileNotAllowed,
    UnknownFeature,
    UnsupportedFormat,
    UnsupportedSubformat,
    ExternalReference,
    Encrypted,
    AmbiguousFormat,
    CorruptImage,
    ImageTooLarge,
    DecoderLimit,
    ArchiveEntryNotAllowed,
    ScratchSpaceRequired,
    ConverterFailed,
    TargetError,
    Cancelled,
    Internal,
    SourceRateLimited,
    DigestMismatch,
    ContainerDiskInvalid,
}
