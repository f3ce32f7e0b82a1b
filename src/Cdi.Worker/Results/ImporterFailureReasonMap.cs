using Cdi.Api.Contracts;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Worker.Results;

/// <summary>The importer's failure reasons as the worker contract names them: one explicit case each, no name round trip.</summary>
internal static class ImporterFailureReasonMap
{
    public static ImporterFailureReason ToContract(ImportFailureReason reason) => reason switch
    {
        ImportFailureReason.InvalidArgument => ImporterFailureReason.InvalidArgument,
        ImportFailureReason.SourceNotFound => ImporterFailureReason.SourceNotFound,
        ImportFailureReason.SourceUnavailable => ImporterFailureReason.SourceUnavailable,
        ImportFailureReason.SourceHttpError => ImporterFailureReason.SourceHttpError,
        ImportFailureReason.SourceTruncated => ImporterFailureReason.SourceTruncated,
        ImportFailureReason.SourceUnauthorized => ImporterFailureReason.SourceUnauthorized,
        ImportFailureReason.CertificateRejected => ImporterFailureReason.CertificateRejected,
        ImportFailureReason.NetworkAddressDenied => ImporterFailureReason.NetworkAddressDenied,
        ImportFailureReason.RedirectRefused => ImporterFailureReason.RedirectRefused,
        ImportFailureReason.SourceNotResumable => ImporterFailureReason.SourceNotResumable,
        ImportFailureReason.ChecksumMismatch => ImporterFailureReason.ChecksumMismatch,
        ImportFailureReason.BackingFileNotAllowed => ImporterFailureReason.BackingFileNotAllowed,
        ImportFailureReason.DataFileNotAllowed => ImporterFailureReason.DataFileNotAllowed,
        ImportFailureReason.UnknownFeature => ImporterFailureReason.UnknownFeature,
        ImportFailureReason.UnsupportedFormat => ImporterFailureReason.UnsupportedFormat,
        ImportFailureReason.UnsupportedSubformat => ImporterFailureReason.UnsupportedSubformat,
        ImportFailureReason.ExternalReference => ImporterFailureReason.ExternalReference,
        ImportFailureReason.Encrypted => ImporterFailureReason.Encrypted,
        ImportFailureReason.AmbiguousFormat => ImporterFailureReason.AmbiguousFormat,
        ImportFailureReason.CorruptImage => ImporterFailureReason.CorruptImage,
        ImportFailureReason.ImageTooLarge => ImporterFailureReason.ImageTooLarge,
        ImportFailureReason.DecoderLimit => ImporterFailureReason.DecoderLimit,
        ImportFailureReason.ArchiveEntryNotAllowed => ImporterFailureReason.ArchiveEntryNotAllowed,
        ImportFailureReason.ScratchSpaceRequired => ImporterFailureReason.ScratchSpaceRequired,
        ImportFailureReason.ConverterFailed => ImporterFailureReason.ConverterFailed,
        ImportFailureReason.TargetError => ImporterFailureReason.TargetError,
        ImportFailureReason.Cancelled => ImporterFailureReason.Cancelled,
        ImportFailureReason.Internal => ImporterFailureReason.Internal,
        ImportFailureReason.SourceRateLimited => ImporterFailureReason.SourceRateLimited,
        ImportFailureReason.DigestMismatch => ImporterFailureReason.DigestMismatch,
        ImportFailureReason.ContainerDiskInvalid => ImporterFailureReason.ContainerDiskInvalid,
        _ => ImporterFailureReason.Internal,
    };
}
