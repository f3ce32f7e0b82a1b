using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources;

/// <summary>An access key and secret (registry basic auth, S3 keys), read from a mounted Secret's files <c>accessKeyId</c> and <c>secretKey</c>.</summary>
public sealed record SourceCredentials(string AccessKeyId, string SecretKey)
{
    public const string AccessKeyFile = "accessKeyId";
    public const string SecretKeyFile = "secretKey";

    /// <summary>Null when the directory holds neither file; a half-filled secret is an error.</summary>
    public static SourceCredentials? FromDirectory(string? directory)
    {
        if (directory is null)
        {
            return null;
        }
        if (!Directory.Exists(directory))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"secret directory {directory} does not exist");
        }
        var id = ReadKey(directory, AccessKeyFile);
        var secret = ReadKey(directory, SecretKeyFile);
        if (id is null && secret is null)
        {
            return null;
        }
        if (id is null || secret is null)
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument,
                $"secret directory {directory} must hold both {AccessKeyFile} and {SecretKeyFile}");
        }
        return new SourceCredentials(id, secret);
    }

    private static string? ReadKey(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? File.ReadAllText(path).Trim('\r', '\n') : null;
    }

    public override string ToString() => $"SourceCredentials({AccessKeyId}, ***)";
}
