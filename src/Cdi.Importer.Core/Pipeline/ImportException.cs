using System.Diagnostics.CodeAnalysis;

namespace Cdi.Importer.Core.Pipeline;

/// <summary>An expected import failure: a reason the caller can act on and a one-line message that names it.</summary>
public sealed class ImportException : Exception
{
    public ImportException(ImportFailureReason reason, string message, Exception? inner = null)
        : base(message, inner) => Reason = reason;

    public ImportFailureReason Reason { get; }

    [DoesNotReturn]
    public static void Throw(ImportFailureReason reason, string message) => throw new ImportException(reason, message);
}
