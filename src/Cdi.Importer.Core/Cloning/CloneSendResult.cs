using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Cloning;

/// <summary>
/// How a clone stream ended. A failure carries the one classification every worker reports (<see cref="ImportFailureReason"/>),
/// so the controller decides retry or fail from the reason, not from the message.
/// </summary>
public sealed record CloneSendResult(ImportFailureReason? Reason, string Message, long Bytes)
{
    public bool Succeeded => Reason is null;

    public static CloneSendResult Sent(string message, long bytes) => new(null, message, bytes);

    public static CloneSendResult Failed(ImportFailureReason reason, string message, long bytes = 0) => new(reason, message, bytes);
}
