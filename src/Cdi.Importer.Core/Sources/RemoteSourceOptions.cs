using Cdi.Importer.Core.Sources.Registry;

namespace Cdi.Importer.Core.Sources;

/// <summary>What registry and S3 sources need beyond the URL: trust, credentials, insecure hosts, mirrors, platform, S3 endpoint.</summary>
/// <param name="CertDirectory">Extra CA certificates (every non-dot file, PEM), trusted in addition to the system's.</param>
/// <param name="SecretDirectory">Holds <c>accessKeyId</c> and <c>secretKey</c>.</param>
/// <param name="InsecureRegistries">host[:port] entries that may use plain HTTP or unverified TLS.</param>
/// <param name="Mirrors">Registry host → mirrors (host[:port][/path prefix]), tried in order before the registry itself.</param>
/// <param name="Platform">os/arch[/variant] to pick from a multi-platform index; linux/amd64 when null.</param>
/// <param name="S3Endpoint">Endpoint for <c>s3://</c> sources; AWS when null.</param>
/// <param name="Network">The HTTP source's options, whose SSRF guard registry and S3 connections pass too.</param>
public sealed record RemoteSourceOptions(
    string? CertDirectory = null,
    string? SecretDirectory = null,
    IReadOnlyList<string>? InsecureRegistries = null,
    IReadOnlyList<RegistryMirror>? Mirrors = null,
    string? Platform = null,
    string? S3Endpoint = null,
    TimeProvider? Time = null,
    Network.HttpSourceOptions? Network = null)
{
    public static readonly RemoteSourceOptions None = new();

    public TimeProvider Clock => Time ?? TimeProvider.System;
}
