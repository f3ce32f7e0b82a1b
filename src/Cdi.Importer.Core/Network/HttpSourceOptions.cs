using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Cdi.Importer.Core.Network;

/// <summary>Everything about how an import talks HTTP, bound once by the host (CLI options or the importer spec).</summary>
public sealed record HttpSourceOptions
{
    public static HttpSourceOptions Default { get; } = new();

    /// <summary>Extra trusted CA certificates, added to the system's; empty means the system store only.</summary>
    public X509Certificate2Collection TrustedCertificates { get; init; } = [];

    /// <summary>Accept any server certificate. Explicit opt-in only.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Basic authentication, sent only to the URL's own host.</summary>
    public NetworkCredential? Credentials { get; init; }

    /// <summary>Extra request headers, sent only to the URL's own host.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>An HTTP proxy (and the hosts that bypass it), or null for a direct connection.</summary>
    public ImportProxy? Proxy { get; init; }

    public NetworkAddressPolicy AddressPolicy { get; init; } = NetworkAddressPolicy.AllowAll;

    public HttpRetryPolicy Retry { get; init; } = new();

    /// <summary>A transfer with no byte for this long is broken (and resumed); there is no total timeout.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRedirects { get; init; } = 10;

    /// <summary>
    /// Connections for one download when the server supports Range, announces the length and a validator, and the
    /// resource spans more than two segments; 1 downloads over one connection.
    /// </summary>
    public int ParallelConnections { get; init; } = 4;

    /// <summary>Bytes per ranged request; memory for a parallel download is at most <see cref="ParallelConnections"/> + 1 segments.</summary>
    public int SegmentSize { get; init; } = 4 << 20;

    /// <summary>Told about every retry before its wait starts (for logs; tests use it to watch the schedule).</summary>
    public Action<HttpRetry>? OnRetry { get; init; }

    /// <summary>Signs each request to the source's own origin once every header (Range included) is set: S3's SigV4.</summary>
    public Action<HttpRequestMessage>? SignRequest { get; init; }
}
