using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cdi.Kube.Config;

namespace Cdi.Kube.Rest;

/// <summary>Builds the one handler a client uses: TLS trust and client certificate come from the config (public for clients of
/// other servers the kubeconfig vouches for, such as the upload proxy).</summary>
public static class KubeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubeConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            // Watches hold a connection each; the default HTTP/1.1 limit of unlimited connections is what we want.
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        var ssl = new SslClientAuthenticationOptions();
        if (config.TlsServerName is { } serverName) ssl.TargetHost = serverName;
        if (config.ClientCertificatePem is { } cert && config.ClientKeyPem is { } key)
        {
            using var ephemeral = X509Certificate2.CreateFromPem(cert, key);
            // SslStream on Linux needs the key in a form it can hand to OpenSSL; a PKCS#12 round trip gives that.
            var usable = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
            ssl.ClientCertificates = [usable];
        }
        if (config.InsecureSkipTlsVerify)
        {
            // The user asked for this in the kubeconfig (insecure-skip-tls-verify), as kubectl allows.
#pragma warning disable CA5359
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (config.CertificateAuthorityPem is { } caPem)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(caPem);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && ValidateAgainst(roots, new X509Certificate2(certificate), errors);
        }
        handler.SslOptions = ssl;
        return handler;
    }

    // Only chain trust is replaced by the cluster's CA; a host name mismatch still fails, as it would in kubectl.
    private static bool ValidateAgainst(X509Certificate2Collection roots, X509Certificate2 certificate, SslPolicyErrors errors)
    {
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
