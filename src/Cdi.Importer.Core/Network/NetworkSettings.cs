using System.Net;
using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Network;

/// <summary>The network settings of an import as given (CLI options or importer spec), turned into <see cref="HttpSourceOptions"/> once.</summary>
public sealed record NetworkSettings
{
    public string? CertDir { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }
    public string? SecretDir { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>Directories whose files each hold one more header line (mounted secrets).</summary>
    public IReadOnlyList<string> HeaderDirs { get; init; } = [];
    public string? Proxy { get; init; }
    public string? NoProxy { get; init; }
    public NetworkGuard Guard { get; init; }
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];

    /// <summary>Seconds without a byte before a transfer counts as broken; null keeps the default (60).</summary>
    public int? IdleTimeoutSeconds { get; init; }

    public HttpSourceOptions ToOptions(Action<HttpRetry>? onRetry) => new()
    {
        IdleTimeout = IdleTimeoutSeconds switch
        {
            null => HttpSourceOptions.Default.IdleTimeout,
            > 0 and <= 86400 => TimeSpan.FromSeconds(IdleTimeoutSeconds.Value),
            _ => throw new ImportException(ImportFailureReason.InvalidArgument, $"idle timeout {IdleTimeoutSeconds} s is out of range: give 1 to 86400 seconds"),
        },
        TrustedCertificates = CertDir is { } dir ? CertificateBundle.Load(dir) : [],
        InsecureSkipTlsVerify = InsecureSkipTlsVerify,
        Credentials = SecretDir is { } secret ? ReadCredentials(secret) : null,
        Headers = [.. Headers.Concat(HeaderDirs.SelectMany(ReadHeaderFiles)).Select(ParseHeader)],
        Proxy = Proxy is { Length: > 0 } proxy ? ParseProxy(proxy, NoProxy) : null,
        AddressPolicy = new NetworkAddressPolicy(Guard, [.. AllowedNetworks.Select(ParseNetwork)]),
        OnRetry = onRetry,
    };

    /// <summary>Upstream's secret keys: <c>accessKeyId</c> is the user name, <c>secretKey</c> the password.</summary>
    private static NetworkCredential ReadCredentials(string directory)
    {
        string Read(string name)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                ImportException.Throw(ImportFailureReason.InvalidArgument, $"secret directory {directory} has no file {name}");
            }
            return File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        return new NetworkCredential(Read("accessKeyId"), Read("secretKey"));
    }

    private static IEnumerable<string> ReadHeaderFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"header directory {directory} does not exist");
        }
        return Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f).TrimEnd('\r', '\n')).ToList();
    }

    private static KeyValuePair<string, string> ParseHeader(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon > 0 ? text[..colon].Trim() : "";
        if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))
            || text.AsSpan(colon + 1).ContainsAny('\r', '\n'))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"header \"{(colon > 0 ? text[..colon] + ": …" : "…")}\" is not of the form 'Name: value'");
        }
        if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Range", StringComparison.OrdinalIgnoreCase)
            || name.Equals("If-Range", StringComparison.OrdinalIgnoreCase))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"header {name} is set by the importer and cannot be given");
        }
        return new(name, text[(colon + 1)..].Trim());
    }

    private static ImportProxy ParseProxy(string text, string? noProxy)
    {
        try
        {
            return new ImportProxy(new Uri(text, UriKind.Absolute), noProxy);
        }
        catch (FormatException e)
        {
            throw new ImportException(ImportFailureReason.InvalidArgument, $"invalid proxy \"{text}\": {e.Message}", e);
        }
    }

    private static IPNetwork ParseNetwork(string text)
    {
        try
        {
            return NetworkAddressPolicy.ParseNetwork(text);
        }
        catch (FormatException e)
        {
            throw new ImportException(ImportFailureReason.InvalidArgument, e.Message, e);
        }
    }
}
