using System.Security.Cryptography;

namespace Cdi.Api.Upload;

/// <summary>
/// Upstream's clone token: admission stamps it on a DataVolume that clones a claim of another namespace once the
/// requester may (<c>create datavolumes/source</c> there), and the controller clones across namespaces only with a
/// valid one. Signed like upload tokens; operation <c>Clone</c>, the source claim as name and namespace, the target in
/// <c>params</c>. It is checked against the DataVolume's creation time, not the clock: it proves the requester was
/// allowed when the DataVolume was made, and a token copied onto a later DataVolume has expired by then.
/// </summary>
public static class CloneTokens
{
    public const string Annotation = "cdi.kubevirt.io/storage.clone.token";
    public const string TargetNamespace = "targetNamespace";
    public const string TargetName = "targetName";

    public static string Issue(ECDsa key, string sourceNamespace, string sourceName, string targetNamespace, string targetName, DateTimeOffset now) =>
        UploadTokens.Issue(key, UploadTokenClaims.CloneOperation, sourceNamespace, sourceName, now,
            new() { [TargetNamespace] = targetNamespace, [TargetName] = targetName });

    /// <summary>Null when <paramref name="token"/> allows this clone as of <paramref name="createdAt"/>; otherwise one line saying why not.</summary>
    public static string? Problem(string? token, ECDsa publicKey, string sourceNamespace, string sourceName, string targetNamespace, string targetName,
        DateTimeOffset createdAt)
    {
        if (string.IsNullOrEmpty(token))
        {
            return $"the DataVolume has no clone token ({Annotation}): admission gives one only to a requester allowed to clone from namespace {sourceNamespace}";
        }
        if (UploadTokens.Validate(token, publicKey, createdAt, UploadTokenClaims.CloneOperation, out var problem) is not { } claims)
        {
            return $"the clone token is not valid: {problem}";
        }
        if (claims.Namespace != sourceNamespace || claims.Name != sourceName
            || claims.Params?.GetValueOrDefault(TargetNamespace) != targetNamespace || claims.Params?.GetValueOrDefault(TargetName) != targetName)
        {
            return $"the clone token allows {claims.Namespace}/{claims.Name} into {claims.Params?.GetValueOrDefault(TargetNamespace)}/{claims.Params?.GetValueOrDefault(TargetName)}, not {sourceNamespace}/{sourceName} into {targetNamespace}/{targetName}";
        }
        return null;
    }
}
