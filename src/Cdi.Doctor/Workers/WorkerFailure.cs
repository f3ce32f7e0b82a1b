using Cdi.Api.Contracts;

namespace Cdi.Doctor.Workers;

/// <summary>
/// Why a DataVolume's worker failed: the typed <see cref="ImporterFailureReason"/> when the worker reported one (its
/// termination message, or the DataVolume's Running condition that carries it on), else only the text it left.
/// </summary>
/// <param name="Evidence">Where it was read, quoted: one line.</param>
public sealed record WorkerFailure(ImporterFailureReason? Reason, string Message, bool Retryable, string Evidence);
