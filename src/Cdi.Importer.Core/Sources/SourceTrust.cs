using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>
/// HTTP clients for registry and S3 sources: TLS verified against the system roots plus the CAs of a cert directory, or,
/// for hosts listed as insecure only, not verified at all. No transparent decompression, no total timeout.
/// </summary>
public sealed class SourceTrust : IDisposable
{
    private readonly X509Certificate2Collection _extraRoots;
    private readonly Lazy<HttpClient> _verified;
    private readonly Lazy<HttpClient> _unverified;

    public SourceTrust(string? certDirectory, Network.HttpSourceOptions? network = null)
    {
        _extraRoots = LoadRoots(certDirectory);
        // Registry and S3 connections pass the same SSRF guard as HTTP sources (importer pods deny private networks).
        var connect = network is null ? null : Network.ImportHttpClient.GuardedConnect(network);
        var proxy = network?.Proxy;
        _verified = new Lazy<HttpClient>(() => Create(Verify, connect, proxy));
#pragma warning disable CA5359 // Deliberate and opt-in per host: an insecure registry may present any certificate.
        _unverified = new Lazy<HttpClient>(() => Create(AcceptAny, connect, proxy));
#pragma warning restore CA5359
    }

    public HttpClient Client(bool insecure) => insecure ? _unverified.Value : _verified.Value;

    public void Dispose()
    {
        if (_verified.IsValueCreated)
        {
            _verified.Value.Dispose();
        }
        if (_unverified.IsValueCreated)
        {
            _unverified.Value.Dispose();
        }
        foreach (var c in _extraRoots)
        {
            c.Dispose();
        }
    }

    /// <summary>Only for hosts the administrator listed as insecure registries.</summary>
    private static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;

    private bool Verify(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || _extraRoots.Count == 0 || certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private static HttpClient Create(RemoteCertificateValidationCallback callback,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect, IWebProxy? proxy) => new(new SocketsHttpHandler
    {
        ConnectCallback = connect,
        // The import proxy (CDIConfig importProxy, https_proxy) applies to registries and S3 as to HTTP sources.
        UseProxy = proxy is not null,
        Proxy = proxy,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 10,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = callback },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private static X509Certificate2Collection LoadRoots(string? directory)
    {
        var roots = new X509Certificate2Collection();
        if (directory is null)
        {
            return roots;
        }
        if (!Directory.Exists(directory))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"certificate directory {directory} does not exist");
        }
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }
            try
            {
                roots.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
            {
                throw new ImportException(ImportFailureReason.InvalidArgument, $"cannot read CA certificates from {file}: {e.Message}", e);
            }
        }
        return roots;
    }
}
