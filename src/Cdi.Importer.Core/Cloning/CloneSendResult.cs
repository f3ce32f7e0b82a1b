namespace Cdi.Importer.Core.Cloning;

/// <summary>How a clone stream ended: one line for the termination message either way.</summary>
public sealed record CloneSendResult(bool Succeeded, string Message, long Bytes);
