using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cdi.Cluster.Authentication;

/// <summary>
/// Service-account tokens as Kubernetes' TokenRequest issues them: compact JWTs (here ES256) with <c>iss</c>, <c>aud</c>,
/// <c>sub</c> = <c>system:serviceaccount:NS:NAME</c>, <c>exp</c>/<c>iat</c>/<c>nbf</c> and the <c>kubernetes.io</c>
/// claim naming the account's uid and the bound pod. Validation refuses anything not signed ES256 by this cluster's key
/// (<c>alg: none</c> above all), expired, or not meant for this API server's audience, with one line saying why.
/// </summary>
internal sealed class ServiceAccountTokens(ECDsa key)
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";
    public const string ApiAudience = Issuer;
    private const string Algorithm = "ES256";

    /// <summary>Bearer tokens are a few hundred bytes; a longer one is refused before decoding.</summary>
    public const int MaxLength = 8192;

    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    public string Issue(string ns, string name, string uid, IReadOnlyList<string> audiences, DateTimeOffset now, TimeSpan lifetime,
        (string Name, string Uid)? pod)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["alg"] = Algorithm, ["typ"] = "JWT", ["kid"] = KeyId() });
        var kubernetes = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
        };
        if (pod is { } p)
        {
            kubernetes["pod"] = new JsonObject { ["name"] = p.Name, ["uid"] = p.Uid };
        }
        var seconds = now.ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = seconds + (long)lifetime.TotalSeconds,
            ["iat"] = seconds,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = seconds,
            ["sub"] = Authorization.RbacNames.ServiceAccountUser(ns, name),
        });
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The claims when <paramref name="token"/> is one of ours, current and for the API server; otherwise null and why.</summary>
    public ServiceAccountTokenClaims? Validate(string token, DateTimeOffset now, out string problem)
    {
        problem = "";
        var parts = token.Length <= MaxLength ? token.Split('.') : [];
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            problem = "the token is not a signed JWT (three dot-separated parts)";
            return null;
        }
        JsonNode? header, payload;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]));
            payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]));
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            problem = "the token is not a valid JWT (bad base64url or JSON)";
            return null;
        }
        if (Text(Field(header, "alg")) != Algorithm)
        {
            problem = $"the token's algorithm \"{Text(Field(header, "alg"))}\" is not accepted: only {Algorithm}";
            return null;
        }
        if (!key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            problem = "the token's signature does not verify: it was not issued by this cluster";
            return null;
        }
        if (payload is not JsonObject claims || Text(claims["iss"]) != Issuer)
        {
            problem = "the token was not issued by this cluster's service-account issuer";
            return null;
        }
        var seconds = now.ToUnixTimeSeconds();
        var leeway = (long)Leeway.TotalSeconds;
        if (Number(claims["exp"]) is not { } exp || seconds > exp + leeway || exp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            problem = "the token has expired";
            return null;
        }
        if (Number(claims["nbf"]) is { } nbf && seconds + leeway < nbf)
        {
            problem = "the token is not valid yet";
            return null;
        }
        var audiences = claims["aud"] switch
        {
            JsonArray a => a.Select(Text).ToList(),
            var single => [Text(single)],
        };
        if (!audiences.Contains(ApiAudience))
        {
            problem = "the token is not meant for this API server (audience)";
            return null;
        }
        var k = claims["kubernetes.io"];
        var ns = Text(Field(k, "namespace"));
        var name = Text(Field(Field(k, "serviceaccount"), "name"));
        var uid = Text(Field(Field(k, "serviceaccount"), "uid"));
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) || string.IsNullOrEmpty(uid)
            || Text(claims["sub"]) != Authorization.RbacNames.ServiceAccountUser(ns, name))
        {
            problem = "the token names no service account";
            return null;
        }
        return new ServiceAccountTokenClaims(ns, name, uid, Text(Field(Field(k, "pod"), "name")), Text(Field(Field(k, "pod"), "uid")), DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    /// <summary>Kubernetes names the key by a hash of its public half; clients may use it to pick a key.</summary>
    private string KeyId() => Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    // Any JSON may arrive: a member of something that is not an object is simply absent.
    private static JsonNode? Field(JsonNode? node, string name) => (node as JsonObject)?[name];

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
}
