using System.Security.Cryptography;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// A content digest (<c>sha256:</c> or <c>sha512:</c> plus lowercase hex of the exact length). Parsed strictly before any
/// use, so a digest never reaches a URL or a path unless it is exactly that (CVE-2024-3727).
/// </summary>
public sealed record OciDigest(string Algorithm, string Hex)
{
    public static OciDigest Parse(string text, string what)
    {
        if (!TryParse(text, out var digest))
        {
            ImportException.Throw(ImportFailureReason.CorruptImage, $"{what} has a malformed digest \"{Truncate(text)}\"");
        }
        return digest;
    }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OciDigest? digest)
    {
        digest = null;
        if (text is null)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var length = algorithm switch { "sha256" => 64, "sha512" => 128, _ => 0 };
        if (length == 0 || hex.Length != length || !hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            return false;
        }
        digest = new OciDigest(algorithm, hex);
        return true;
    }

    public static OciDigest Sha256Of(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public IncrementalHash CreateHash() => IncrementalHash.CreateHash(Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);

    public bool Matches(ReadOnlySpan<byte> hash) => string.Equals(Convert.ToHexStringLower(hash), Hex, StringComparison.Ordinal);

    public override string ToString() => $"{Algorithm}:{Hex}";

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
