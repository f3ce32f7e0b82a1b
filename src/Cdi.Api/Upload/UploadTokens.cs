using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Cdi.Api.Upload;

/// <summary>
/// Upload tokens: compact JWTs signed ES256 (ECDSA P-256, SHA-256) by the cluster's signing key, valid
/// <see cref="Lifetime"/>, scoped to one claim. Upstream signs PS256 with an RSA key; the header names the algorithm,
/// and clients (virtctl) pass the token through without reading it. Whoever holds only the public key (an upload
/// server) can verify but not mint.
/// </summary>
public static class UploadTokens
{
    public const string Issuer = "cdi-apiserver";
    public const string Algorithm = "ES256";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Upstream's leeway for clock differences between issuer and verifier.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(10);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"ES256","typ":"JWT"}""");

    /// <summary>Tokens are short; anything longer is refused before parsing.</summary>
    private const int MaxLength = 4096;

    public static string Issue(ECDsa key, string @namespace, string claimName, DateTimeOffset now) =>
        Issue(key, UploadTokenClaims.UploadOperation, @namespace, claimName, now, parameters: null);

    /// <summary>A token for <paramref name="operation"/> on one claim, valid <see cref="Lifetime"/> from <paramref name="now"/>.</summary>
    public static string Issue(ECDsa key, string operation, string @namespace, string claimName, DateTimeOffset now, Dictionary<string, string>? parameters)
    {
        var seconds = now.ToUnixTimeSeconds();
        return Sign(key, new UploadTokenClaims
        {
            Issuer = Issuer,
            IssuedAt = seconds,
            NotBefore = seconds,
            Expires = seconds + (long)Lifetime.TotalSeconds,
            Operation = operation,
            Name = claimName,
            Namespace = @namespace,
            Resource = new UploadTokenResource { Group = "", Version = "v1", Resource = UploadTokenClaims.ClaimsResource },
            Params = parameters,
        });
    }

    /// <summary>Signs any payload (tests use it to make tokens of a foreign scope with the right key).</summary>
    public static string Sign(ECDsa key, UploadTokenClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, ApiJsonContext.Default.UploadTokenClaims);
        var signingInput = $"{Base64Url.EncodeToString(Header)}.{Base64Url.EncodeToString(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// The token's claims when it is well formed, ES256, signed by <paramref name="publicKey"/>'s pair, issued by cdi,
    /// current (with <see cref="Leeway"/>) and an upload into a claim; otherwise null and one line saying why.
    /// </summary>
    public static UploadTokenClaims? Validate(string token, ECDsa publicKey, DateTimeOffset now, out string? problem) =>
        Validate(token, publicKey, now, UploadTokenClaims.UploadOperation, out problem);

    /// <summary>As the upload check, for tokens of another <paramref name="operation"/> (clone tokens).</summary>
    public static UploadTokenClaims? Validate(string token, ECDsa publicKey, DateTimeOffset now, string operation, out string? problem)
    {
        problem = null;
        var parts = token.Length <= MaxLength ? token.Split('.') : [];
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            problem = "the upload token is not a signed JWT (three dot-separated parts)";
            return null;
        }
        JsonElement header;
        UploadTokenClaims? claims;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), ApiJsonContext.Default.JsonElement);
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), ApiJsonContext.Default.UploadTokenClaims);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            problem = "the upload token is not a valid JWT (bad base64url or JSON)";
            return null;
        }
        var alg = header.ValueKind == JsonValueKind.Object && header.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        if (alg != Algorithm)
        {
            // "none" above all: an unsigned token must never pass as a signed one.
            problem = $"the upload token's algorithm \"{alg}\" is not accepted: only {Algorithm}";
            return null;
        }
        if (!publicKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            problem = "the upload token's signature does not verify: it was not issued by this cluster";
            return null;
        }
        if (claims is null || claims.Issuer != Issuer)
        {
            problem = $"the upload token's issuer is \"{claims?.Issuer}\", not {Issuer}";
            return null;
        }
        var seconds = now.ToUnixTimeSeconds();
        var leeway = (long)Leeway.TotalSeconds;
        if (claims.Expires is not { } exp || seconds > exp + leeway)
        {
            problem = claims.Expires is { } e2 ? $"the upload token expired at {DateTimeOffset.FromUnixTimeSeconds(e2):u}: request a new one" : "the upload token has no expiry";
            return null;
        }
        if (claims.NotBefore is { } nbf && seconds + leeway < nbf)
        {
            problem = $"the upload token is not valid before {DateTimeOffset.FromUnixTimeSeconds(nbf):u}";
            return null;
        }
        if (claims.Operation != operation || claims.Resource?.Resource != UploadTokenClaims.ClaimsResource
            || string.IsNullOrEmpty(claims.Name) || string.IsNullOrEmpty(claims.Namespace))
        {
            problem = operation == UploadTokenClaims.UploadOperation
                ? $"the token does not allow uploads into a claim (operation \"{claims.Operation}\", resource \"{claims.Resource?.Resource}\")"
                : $"the token does not allow {operation} on a claim (operation \"{claims.Operation}\", resource \"{claims.Resource?.Resource}\")";
            return null;
        }
        return claims;
    }
}
