using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Cdi.Importer.Core.Network;

/// <summary>
/// Builds the one <see cref="HttpClient"/> an import uses: no transparent decompression (codecs are detected from the
/// bytes), no automatic redirects (the fetcher follows them itself, checking each hop), no total timeout, TLS 1.2+
/// verified against the system store plus the given CAs, and the SSRF guard applied at connect time to every resolved
/// address, so DNS rebinding between a check and the connection cannot slip past it.
/// </summary>
public static class ImportHttpClient
{
    public static HttpClient Create(HttpSourceOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseProxy = options.Proxy is not null,
            Proxy = options.Proxy,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, options, cancellationToken),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
#pragma warning disable CA5359 // only with --insecure-skip-tls-verify, an explicit opt-in
                RemoteCertificateValidationCallback = options.InsecureSkipTlsVerify ? AcceptAny
                    : options.TrustedCertificates.Count > 0 ? (_, certificate, chain, errors) => Validate(certificate, chain, errors, options.TrustedCertificates)
                    : null,
#pragma warning restore CA5359
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The SSRF guard as a connect callback, for the other HTTP clients imports use (registry, S3).</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> GuardedConnect(HttpSourceOptions options) =>
        (context, cancellationToken) => ConnectAsync(context, options, cancellationToken);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "Only with --insecure-skip-tls-verify, an explicit opt-in.")]
    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    /// <summary>The system's verdict, except that a chain ending at one of the given CAs is trusted too. A wrong name never is.</summary>
    private static bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return custom.Build(leaf);
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, HttpSourceOptions options, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        // The configured proxy is trusted by whoever configured it; everything else passes the guard.
        if (options.Proxy?.IsProxyEndpoint(host, endpoint.Port) != true)
        {
            foreach (var address in addresses)
            {
                if (options.AddressPolicy.DenialKind(address) is { } kind)
                {
                    throw new AddressDeniedException(Describe(host, address, kind));
                }
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    internal static string Describe(string host, IPAddress address, string kind) =>
        host == address.ToString()
            ? $"{host} is a {kind} address, which imports may not reach (allow its network to import from it)"
            : $"{host} resolves to {address}, a {kind} address, which imports may not reach (allow its network to import from it)";
}
