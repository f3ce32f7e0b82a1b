namespace Cdi.Testing.Registry;

/// <param name="User">With <paramref name="Password"/>: htpasswd basic auth.</param>
/// <param name="CertificatePath">With <paramref name="KeyPath"/>: serve TLS.</param>
public sealed record RegistryServerOptions(string? User = null, string? Password = null, string? CertificatePath = null, string? KeyPath = null);
