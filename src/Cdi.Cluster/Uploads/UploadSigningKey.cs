using System.Security.Cryptography;
using Cdi.Cluster.Hosting;

namespace Cdi.Cluster.Uploads;

/// <summary>
/// The key upload tokens are signed with (ECDSA P-256): made once, kept as DIR/pki/upload-signing.key (0600, like
/// the CA key), so tokens stay valid across a restart within their 5 minutes. Only its public half leaves this
/// process (upload pods verify with it).
/// </summary>
public static class UploadSigningKey
{
    public static string Path(string dir) => System.IO.Path.Combine(ClusterFiles.Pki(dir), "upload-signing.key");

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
