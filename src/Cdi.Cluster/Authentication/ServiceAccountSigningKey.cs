using System.Security.Cryptography;
using Cdi.Cluster.Hosting;

namespace Cdi.Cluster.Authentication;

/// <summary>
/// The key service-account tokens are signed with (ECDSA P-256, the cluster's signing approach as for upload tokens,
/// but its own key: an upload server holds the upload key's public half and must not be able to check, let alone
/// relate to, API credentials). Kept as DIR/pki/sa-signing.key (0600), so tokens outlive a restart.
/// </summary>
internal static class ServiceAccountSigningKey
{
    public static string Path(string dir) => System.IO.Path.Combine(ClusterFiles.Pki(dir), "sa-signing.key");

    public static ECDsa LoadOrCreate(string dir)
    {
        var path = Path(dir);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        Directory.CreateDirectory(ClusterFiles.Pki(dir), FileSafety.OwnerOnly.Directory);
        PrivateState.Write(path, key.ExportPkcs8PrivateKeyPem());
        return key;
    }
}
