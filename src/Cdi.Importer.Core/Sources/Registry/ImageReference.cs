using Cdi.Importer.Core.Pipeline;

namespace Cdi.Importer.Core.Sources.Registry;

/// <summary>
/// <c>docker://host[:port]/repo[:tag|@digest]</c>. A first path part without a dot, colon or <c>localhost</c> is a Docker Hub
/// repository, as with docker and skopeo (<c>docker://alpine</c> is <c>docker.io/library/alpine:latest</c>).
/// </summary>
/// <param name="Registry">host[:port] as written (docker.io for Docker Hub).</param>
public sealed record ImageReference(string Registry, string Repository, string? Tag, OciDigest? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>The tag or digest to ask the registry for.</summary>
    public string Reference => Digest?.ToString() ?? Tag ?? "latest";

    public static ImageReference Parse(string text)
    {
        const string scheme = "docker://";
        if (!text.StartsWith(scheme, StringComparison.Ordinal))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"registry source \"{text}\" must start with {scheme}");
        }
        var rest = text[scheme.Length..];
        OciDigest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!OciDigest.TryParse(rest[(at + 1)..], out digest))
            {
                ImportException.Throw(ImportFailureReason.InvalidArgument, $"registry source \"{text}\" has a malformed digest");
            }
            rest = rest[..at];
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!IsValidTag(tag))
            {
                ImportException.Throw(ImportFailureReason.InvalidArgument, $"registry source \"{text}\" has an invalid tag \"{tag}\"");
            }
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        string registry;
        string repository;
        if (slash > 0 && IsRegistryHost(rest[..slash]))
        {
            registry = rest[..slash];
            repository = rest[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = slash < 0 ? "library/" + rest : rest;
        }
        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }
        if (repository.Length == 0 || !repository.Split('/').All(IsValidComponent))
        {
            ImportException.Throw(ImportFailureReason.InvalidArgument, $"registry source \"{text}\" has an invalid repository name \"{repository}\"");
        }
        return new ImageReference(registry.ToLowerInvariant(), repository, tag, digest);
    }

    public override string ToString() => $"docker://{Registry}/{Repository}" + (Digest is { } d ? $"@{d}" : $":{Tag ?? "latest"}");

    private static bool IsRegistryHost(string part) => part.Contains('.', StringComparison.Ordinal) || part.Contains(':', StringComparison.Ordinal)
        || part == "localhost" || part.Contains('[', StringComparison.Ordinal);

    private static bool IsValidComponent(string part) => part.Length > 0
        && part.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-')
        && char.IsAsciiLetterOrDigit(part[0]) && char.IsAsciiLetterOrDigit(part[^1]);

    private static bool IsValidTag(string tag) => tag.Length is > 0 and <= 128 && (char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_')
        && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
