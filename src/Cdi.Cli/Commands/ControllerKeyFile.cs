using System.Security.Cryptography;

namespace Cdi.Cli.Commands;

/// <summary>
/// The PEM keys <c>cdi controller</c> takes as files (mounted Secrets on a real cluster): read and checked at start, so
/// a wrong path or a key of the wrong kind stops the controller with one line instead of failing every upload or clone.
/// </summary>
internal static class ControllerKeyFile
{
    /// <summary>An ECDSA P-256 private key, returned as PKCS#8 PEM.</summary>
    public static string? Private(string option, string? path, out string? error) => Load(option, path, key => key.ExportPkcs8PrivateKeyPem(), out error);

    /// <summary>An ECDSA P-256 public key; a private key file gives its public half, and only that is kept.</summary>
    public static string? Public(string option, string? path, out string? error) => Load(option, path, key => key.ExportSubjectPublicKeyInfoPem(), out error);

    private static string? Load(string option, string? path, Func<ECDsa, string> export, out string? error)
    {
        error = null;
        if (path is null)
        {
            return null;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{option} {path}: {e.Message.ReplaceLineEndings(" ")}";
            return null;
        }
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(text);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            error = $"{option} {path}: not a PEM ECDSA key";
            return null;
        }
        if (key.KeySize != 256)
        {
            error = $"{option} {path}: an ECDSA P-256 key is needed (ES256), this one has {key.KeySize} bits";
            return null;
        }
        try
        {
            return export(key);
        }
        catch (CryptographicException)
        {
            error = $"{option} {path}: a private key is needed, the file holds only a public one";
            return null;
        }
    }
}
