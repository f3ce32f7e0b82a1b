using System.Security.Cryptography;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Checksums;

/// <summary>A checksum the served bytes must match, written <c>ALGO:HEX</c> as upstream's <c>spec.source.http.checksum</c>.</summary>
public sealed record ExpectedChecksum(string Algorithm, byte[] Digest)
{
    public static ExpectedChecksum Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid checksum \"{text}\": expected ALGO:HEX with ALGO md5, sha1, sha256 or sha512");
        }
        var algorithm = text[..colon].ToLowerInvariant();
        var hex = text[(colon + 1)..];
        var length = algorithm switch
        {
            "md5" => 16,
            "sha1" => 20,
            "sha256" => 32,
            "sha512" => 64,
            _ => -1,
        };
        if (length < 0)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid checksum algorithm \"{algorithm}\": use md5, sha1, sha256 or sha512");
        }
        if (hex.Length != length * 2 || !hex.All(Uri.IsHexDigit))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"invalid {algorithm} checksum \"{hex}\": expected {length * 2} hex digits");
        }
        return new ExpectedChecksum(algorithm, Convert.FromHexString(hex));
    }

    public HashAlgorithmName HashName => Algorithm switch
    {
        "md5" => HashAlgorithmName.MD5,
        "sha1" => HashAlgorithmName.SHA1,
        "sha256" => HashAlgorithmName.SHA256,
        _ => HashAlgorithmName.SHA512,
    };

    public string Text => $"{Algorithm}:{Convert.ToHexStringLower(Digest)}";
}
