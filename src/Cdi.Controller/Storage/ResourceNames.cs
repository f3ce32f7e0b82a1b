using System.Security.Cryptography;
using System.Text;

namespace Cdi.Controller.Storage;

/// <summary>Object names derived from a DataVolume's, shortened with a hash when they would pass Kubernetes' 63-character limit.</summary>
public static class ResourceNames
{
    private const int MaxLength = 63;

    public static string ImporterPod(string claimName) => Shorten("importer-" + claimName);

    /// <summary>Upstream's <c>cdi-upload-&lt;claim&gt;</c>.</summary>
    public static string UploadPod(string claimName) => Shorten("cdi-upload-" + claimName);

    /// <summary>Upstream's <c>&lt;target claim UID&gt;-source-pod</c>, in the source claim's namespace.</summary>
    public static string CloneSourcePod(string targetClaimUid) => Shorten(targetClaimUid + "-source-pod");

    public static string Scratch(string claimName) => Shorten(claimName + "-scratch");

    public static string Shorten(string name)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(MaxLength - hash.Length - 1)].TrimEnd('-', '.') + "-" + hash;
    }
}
