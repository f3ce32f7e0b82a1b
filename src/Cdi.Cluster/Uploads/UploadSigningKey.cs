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
    /// <summary>
    /// The controller's own key, for the tokens clone source pods show the target's upload server (upstream's
    /// controller has its own key too): kept apart from the API server's, so neither can mint the other's tokens.
    /// </summary>
    public const string CloneStreamFile = "clone-signing.key";

    public static string Path(string dir, string file = "upload-signing.key") => System.IO.Path.Combine(ClusterFiles.Pki(dir), file);

    public static ECDsa LoadOrCreate(string dir, string file = "upload-signing.key")
    {
        var path = Path(dir, file);
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
