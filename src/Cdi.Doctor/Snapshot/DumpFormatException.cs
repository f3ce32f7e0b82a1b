namespace Cdi.Doctor.Snapshot;

/// <summary>A dump that cannot be read: the message is one line saying where and why.</summary>
public sealed class DumpFormatException(string message, Exception? inner = null) : Exception(message, inner);
