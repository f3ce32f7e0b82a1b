namespace Cdi.Kube.Runtime;

/// <summary>
/// A failure no retry can fix (an object whose spec cannot be acted on): the controller does not retry the key but
/// hands the failure to <see cref="IReconciler{TKey}.RecordTerminalAsync"/>. A later change to the object enqueues it again.
/// </summary>
/// <param name="reason">A CamelCase reason, as conditions and events carry.</param>
public sealed class TerminalReconcileException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
