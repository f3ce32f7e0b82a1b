using System.Security.Cryptography;

namespace Cdi.Cluster.Hosting;

/// <summary>
/// The cluster's token-signing keys (ECDSA P-256), one file each in DIR/pki (0600, like the CA key), made once so
/// tokens stay valid across a restart. Each kind of token has its own key, so no holder of one public half can check,
/// let alone mint, another kind: upload pods hold the upload key's public half, upload servers in clone mode the
/// clone key's, and nothing outside the API server the service-account key.
/// </summary>
public static class SigningKeys
{
    /// <summary>Upload tokens (UploadTokenRequest), checked by the proxy and the upload servers.</summary>
    public const string UploadFile = "upload-signing.key";

    /// <summary>
    /// The controller's own key, for the tokens clone source pods show the target's upload server (upstream's
    /// controller has its own key too): kept apart from the API server's, so neither can mint the other's tokens.
    /// </summary>
    public const string CloneStreamFile = "clone-signing.key";

    /// <summary>Service-account tokens: API credentials, never relatable to an upload token.</summary>
    public const string ServiceAccountFile = "sa-signing.key";

    public static string Path(string dir, string file) => System.IO.Path.Combine(ClusterFiles.Pki(dir), file);

    public static ECDsa LoadOrCreate(string dir, string file)
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
