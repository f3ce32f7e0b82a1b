namespace Cdi.Importer.Core.Pipeline;

/// <summary>The one table that turns a failure reason into an exit code and says whether retrying can help.</summary>
public static class ImportFailureReasons
{
    public static int ExitCode(ImportFailureReason reason) => reason switch
    {
        ImportFailureReason.InvalidArgument => 2,
        ImportFailureReason.SourceNotFound => 3,
        ImportFailureReason.SourceUnavailable or ImportFailureReason.SourceHttpError or ImportFailureReason.SourceTruncated
            or ImportFailureReason.SourceUnauthorized or ImportFailureReason.RedirectRefused or ImportFailureReason.SourceNotResumable => 4,
        ImportFailureReason.ChecksumMismatch => 5,
        ImportFailureReason.BackingFileNotAllowed or ImportFailureReason.DataFileNotAllowed or ImportFailureReason.UnknownFeature
            or ImportFailureReason.UnsupportedFormat or ImportFailureReason.UnsupportedSubformat or ImportFailureReason.ExternalReference
            or ImportFailureReason.Encrypted or ImportFailureReason.AmbiguousFormat or ImportFailureReason.CorruptImage
            or ImportFailureReason.DecoderLimit or ImportFailureReason.ArchiveEntryNotAllowed => 6,
        ImportFailureReason.ImageTooLarge => 7,
        ImportFailureReason.ScratchSpaceRequired => 8,
        ImportFailureReason.ConverterFailed => 9,
        ImportFailureReason.TargetError => 10,
        ImportFailureReason.CertificateRejected => 11,
        ImportFailureReason.NetworkAddressDenied => 12,
        ImportFailureReason.Cancelled => 130,
        ImportFailureReason.SourceRateLimited => 4,
        ImportFailureReason.DigestMismatch => 5,
        ImportFailureReason.ContainerDiskInvalid => 6,
        _ => 1,
    };

    /// <summary>True when the same import may succeed if simply run again (network trouble); false when the input or the request is wrong.</summary>
    public static bool IsRetryable(ImportFailureReason reason) => reason is
        ImportFailureReason.SourceUnavailable or ImportFailureReason.SourceTruncated or ImportFailureReason.SourceNotResumable
        or ImportFailureReason.Internal or ImportFailureReason.SourceRateLimited;
}
