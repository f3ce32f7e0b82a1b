namespace Cdi.Importer.Core.Pipeline;

/// <summary>Why an import failed. One value per user-actionable cause; <see cref="ImportFailureReasons"/> maps each to an exit code and retryability.</summary>
public enum ImportFailureReason
{
    InvalidArgument,
    SourceNotFound,
    SourceUnavailable,
    SourceHttpError,
    SourceTruncated,
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
    SourceUnauthorized,
    SourceRateLimited,
    DigestMismatch,
    ContainerDiskInvalid,
}
