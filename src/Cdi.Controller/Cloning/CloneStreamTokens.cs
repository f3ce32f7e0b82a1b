using System.Security.Cryptography;
using Cdi.Api.Upload;
using Cdi.Kube.Models;

namespace Cdi.Controller.Cloning;

/// <summary>
/// The token a clone source pod shows the target's upload server: signed by the controller's clone key (ES256, as
/// upload tokens), operation <c>CloneStream</c>, the target claim's namespace, name and UID, valid five minutes from
/// the pod's creation. The upload server in clone mode takes nothing else, users' upload tokens included.
/// </summary>
public static class CloneStreamTokens
{
    public static string Mint(string signingKeyPem, PersistentVolumeClaim target, DateTimeOffset now)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(signingKeyPem);
        return UploadTokens.Issue(key, UploadTokenClaims.CloneStreamOperation, target.Metadata.Namespace!, target.Metadata.Name!, now,
            new() { ["uid"] = target.Metadata.Uid! });
    }

    /// <summary>The public half, for the upload server to verify with (deterministic: the decider may call it).</summary>
    public static string PublicKey(string signingKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(signingKeyPem);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
