namespace Cdi.Doctor.Workers;

/// <summary>The registry host[:port] of an image reference (<c>docker://host/repo:tag</c>, <c>repo:tag</c>), Docker Hub when it names none.</summary>
public static class RegistryHost
{
    public const string DockerHub = "docker.io";

    public static string Of(string? reference)
    {
        var r = reference ?? "";
        var scheme = r.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) r = r[(scheme + 3)..];
        var slash = r.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return DockerHub;
        var first = r[..slash];
        // Docker's rule: the first path segment is a host only when it looks like one.
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : DockerHub;
    }
}
