using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Network;

/// <summary>A failed attempt that another attempt may fix, with the reason to report if none does.</summary>
internal readonly record struct RetryableFailure(ImportFailureReason Reason, string Message, TimeSpan? RetryAfter = null);
