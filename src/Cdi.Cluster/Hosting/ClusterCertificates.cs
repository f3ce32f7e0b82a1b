using System.Net;
using Cdi.Cluster.FileSafety;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// The cluster's own CA and the API server's serving certificate (127.0.0.1, localhost), made once and kept under
/// DIR/pki so a restart keeps working kubeconfigs. ECDSA P-256: fast to generate, accepted by Go's TLS.
/// </summary>
internal static class ClusterCertificates
{
    public static (X509Certificate2 Serving, string CaPem) LoadOrCreate(string dir, TimeProvider clock)
    {
        var pki = ClusterFiles.Pki(dir);
        Directory.CreateDirectory(pki, OwnerOnly.Directory);
        var caCrt = Path.Combine(pki, "ca.crt");
        var caKey = Path.Combine(pki, "ca.key");
        var crt = Path.Combine(pki, "apiserver.crt");
        var key = Path.Combine(pki, "apiserver.key");
        if (!File.Exists(caCrt) || !File.Exists(caKey) || !File.Exists(crt) || !File.Exists(key))
        {
            Create(caCrt, caKey, crt, key, clock.GetUtcNow());
        }
        return (X509Certificate2.CreateFromPemFile(crt, key), File.ReadAllText(caCrt));
    }

    private static void Create(string caCrt, string caKey, string crt, string key, DateTimeOffset now)
    {
        using var caPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=cdi-cluster-ca", caPrivate, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        using var serverPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=cdi-apiserver", serverPrivate, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes");
        san.AddDnsName("kubernetes.default");
        san.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(5), serial);

        WriteSecret(caKey, caPrivate.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(caCrt, ca.ExportCertificatePem());
        WriteSecret(key, serverPrivate.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(crt, server.ExportCertificatePem());
    }

    private static void WriteSecret(string path, string text) => PrivateState.Write(path, text);
}
