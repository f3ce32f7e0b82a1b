using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Network;

/// <summary>Loads the CA certificates of a cert directory (a mounted ConfigMap): every PEM file not starting with a dot, as upstream.</summary>
public static class CertificateBundle
{
    public static X509Certificate2Collection Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"certificate directory {directory} does not exist");
        }
        var certificates = new X509Certificate2Collection();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }
            try
            {
                certificates.ImportFromPemFile(file);
            }
            catch (CryptographicException e)
            {
                throw new ImportException(ImportFailureReason.InvalidArgument, $"certificate file {file} is not PEM: {e.Message}", e);
            }
        }
        if (certificates.Count == 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"certificate directory {directory} holds no PEM certificate (tls.crt, ca.crt, *.pem)");
        }
        return certificates;
    }
}
