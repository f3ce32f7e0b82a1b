namespace Cdi.Importer.Core.Pipeline;

/// <summary>Why an import failed. One value per user-actionable cause; <see cref="ImportFailureReasons"/> maps each to an exit code and retryability.</summary>
public enum ImportFailureReason
{
    InvalidArgument,
    SourceNotFound,
    SourceUnavailable,
    SourceHttpError,
    SourceTruncated,
    /// <summary>The server answered 401 or 403: the credentials are missing or wrong.</summary>
    SourceUnauthorized,
    /// <summary>The server's TLS certificate is not trusted (self-signed, unknown CA, wrong name, expired).</summary>
    CertificateRejected,
    /// <summary>The URL, a redirect or a resolved address is in a network the import may not reach (SSRF guard).</summary>
    NetworkAddressDenied,
    /// <summary>A redirect was refused: https to http, another scheme, or more than ten hops.</summary>
    RedirectRefused,
    /// <summary>A broken download could not be resumed (the resource changed or the server ignores Range) and starting over did not help.</summary>
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
