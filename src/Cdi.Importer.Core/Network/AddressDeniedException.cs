namespace Cdi.Importer.Core.Network;

/// <summary>Thrown from the connect callback when the SSRF guard refuses an address; the fetcher turns it into a terminal failure.</summary>
public sealed class AddressDeniedException(string message) : Exception(message);
